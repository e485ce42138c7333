import type { Claim } from '@gibbon/contracts';
import { loadWebhookExamples } from '@gibbon/test-kit';
import { startAppOn } from './backend-app';
import { backends } from './backends';
import { createBuildWorld, type BuildWorld } from './build-world';
import { eventually } from './eventually';
import type { TestApp } from './harness';

const metricsToken = 'metrics-token-0123456789abcdef';

/** The value of one sample (`name{labels} value`) in Prometheus text, 0 when absent. */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((each) => each.startsWith(`${name}${labels} `));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe.each(backends)('GET /metrics on $name', (backend) => {
  let app: TestApp;
  let world: BuildWorld;
  const scrape = async () => {
    const answer = await app.call('GET', '/metrics', { token: metricsToken });
    expect(answer.status).toBe(200);
    return answer.text;
  };
  beforeAll(async () => {
    app = await startAppOn(backend, { metricsToken });
    world = await createBuildWorld(app);
  });
  afterAll(() => app.close());

  it('refuses a scrape without the metrics token, or with another token (401)', async () => {
    expect((await app.call('GET', '/metrics')).status).toBe(401);
    expect((await app.call('GET', '/metrics', { token: app.adminToken })).status).toBe(401);
    const wrong = await app.call('GET', '/metrics', { token: `${metricsToken}x` });
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(wrong.body)).toContain('GIBBON_METRICS_TOKEN');
  });

  it('answers the Prometheus text with every metric of public-api', async () => {
    const answer = await app.call('GET', '/metrics', { token: metricsToken });
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of [
      'gibbon_queue_depth',
      'gibbon_queue_wait_seconds',
      'gibbon_build_duration_seconds',
      'gibbon_builds_finished_total',
      'gibbon_runner_capacity_slots',
      'gibbon_runner_busy_slots',
      'gibbon_webhook_deliveries_total',
      'gibbon_http_request_duration_seconds',
      'process_cpu_seconds_total',
    ]) {
      expect(answer.text).toContain(`# TYPE ${name} `);
    }
  });

  it('counts a webhook build through claim and result, and the runner slots', async () => {
    const before = await scrape();
    const push = loadWebhookExamples('push').find((example) => !example.payload.deleted);
    const delivered = await world.deliver({ event: 'push', payload: push!.payload });
    expect(delivered.status).toBe(200);
    expect((await world.deliver({ secret: 'not-the-webhook-secret' })).status).toBe(401);
    expect((await world.deliver({ event: 'issues', payload: {} })).status).toBe(202);
    const queued = await scrape();
    expect(sample(queued, 'gibbon_queue_depth')).toBe(sample(before, 'gibbon_queue_depth') + 1);
    for (const [result, more] of [
      ['build', 1],
      ['rejected_signature', 1],
      ['ignored', 1],
    ] as const) {
      const name = 'gibbon_webhook_deliveries_total';
      const labels = `{result="${result}"}`;
      expect(sample(queued, name, labels)).toBe(sample(before, name, labels) + more);
    }

    const runner = await world.registerRunner('metrics');
    const answer = await app.call('POST', '/v1/runner/claim?wait=0', {
      token: runner,
      body: { capacity: 3 },
    });
    expect(answer.status).toBe(200);
    const claim = answer.body as Claim;
    const running = await scrape();
    expect(sample(running, 'gibbon_queue_depth')).toBe(sample(before, 'gibbon_queue_depth'));
    expect(sample(running, 'gibbon_runner_busy_slots')).toBe(1);
    expect(sample(running, 'gibbon_runner_capacity_slots')).toBe(3);
    const waits = 'gibbon_queue_wait_seconds_count';
    expect(sample(running, waits)).toBe(sample(before, waits) + 1);

    await world.runner(claim, 'POST', '/result', { body: { status: 'failure' } });
    const finished = '{status="failure"}';
    await eventually(async () => {
      const after = await scrape();
      return (
        sample(after, 'gibbon_builds_finished_total', finished) ===
        sample(before, 'gibbon_builds_finished_total', finished) + 1
      );
    });
    const after = await scrape();
    const durations = 'gibbon_build_duration_seconds_count';
    expect(sample(after, durations, finished)).toBe(sample(before, durations, finished) + 1);
    expect(sample(after, 'gibbon_runner_busy_slots')).toBe(0);
    expect(sample(after, 'gibbon_runner_capacity_slots')).toBe(3);
  });

  it('labels request durations with route templates, never raw paths', async () => {
    await world.trigger();
    await world.getBuild(1);
    const text = await scrape();
    const template = 'route="/v1/orgs/{org}/repos/{repo}/builds/{number}"';
    const labels = `{le="+Inf",method="GET",${template},status="200"}`;
    expect(sample(text, 'gibbon_http_request_duration_seconds_bucket', labels)).toBeGreaterThan(0);
    expect(text).not.toContain('/v1/orgs/acme');
    expect(text).not.toContain(world.webhookId);
  });
});

describe('GET /metrics without GIBBON_METRICS_TOKEN', () => {
  it('is off: 404 saying how to turn it on', async () => {
    const app = await startAppOn(backends[0]!);
    try {
      const answer = await app.call('GET', '/metrics', { token: app.adminToken });
      expect(answer.status).toBe(404);
      expect(JSON.stringify(answer.body)).toContain('set GIBBON_METRICS_TOKEN');
    } finally {
      await app.close();
    }
  });
});
