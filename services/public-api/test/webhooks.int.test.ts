import type { Build } from '@gibbon/contracts';
import { loadWebhookExamples, signGithubPayload } from '@gibbon/test-kit';
import { contentKeyOf } from '../src/github';
import { startAppOn } from './backend-app';
import { backends } from './backends';
import { createBuildWorld, type BuildWorld } from './build-world';
import type { TestApp } from './harness';

interface Accepted {
  delivery: string;
  build: Build | null;
}

const builtActions = new Set(['opened', 'synchronize', 'reopened']);

// Spec section 5 through the real endpoint, on SQLite and on Postgres.
describe.each(backends)('GitHub webhooks on $name', (backend) => {
  let app: TestApp;
  let world: BuildWorld;
  beforeAll(async () => {
    app = await startAppOn(backend);
    world = await createBuildWorld(app);
  });
  afterAll(() => app.close());

  describe('every captured push and pull_request', () => {
    const keys = new Set<string>();

    it.each(loadWebhookExamples('push').map((example, index) => [index, example]))(
      'push example %i',
      async (_index, { payload }) => {
        const answer = await world.deliver({ event: 'push', payload });
        if (payload.deleted) {
          expect(answer).toMatchObject({ status: 202, body: { ignored: true } });
          return;
        }
        keys.add(contentKeyOf('push', payload.repository.full_name, payload.ref, payload.after));
        expect(answer.status).toBe(200);
        const { build } = answer.body as Accepted;
        expect(build).toMatchObject({
          status: 'queued',
          source: 'push',
          trusted: true,
          git: { ref: payload.ref, commit: payload.after },
        });
        const stored = await world.getBuild(build!.number);
        expect(stored.git.ref).toBe(payload.ref);
        expect(stored.git.message).toBe(payload.head_commit?.message ?? null);
      },
    );

    it.each(loadWebhookExamples('pull_request').map((example, index) => [index, example]))(
      'pull_request example %i',
      async (_index, { action, payload }) => {
        const answer = await world.deliver({ event: 'pull_request', payload });
        if (!builtActions.has(action ?? '')) {
          expect(answer).toMatchObject({ status: 202, body: { ignored: true } });
          return;
        }
        const ref = `refs/pull/${payload.number}/head`;
        keys.add(
          contentKeyOf(
            'pull_request',
            payload.repository.full_name,
            ref,
            payload.pull_request.head.sha,
          ),
        );
        expect(answer.status).toBe(200);
        const fork = payload.pull_request.head.repo?.id !== payload.repository.id;
        expect((answer.body as Accepted).build).toMatchObject({
          source: 'pull_request',
          trusted: !fork,
          git: { ref, commit: payload.pull_request.head.sha },
        });
      },
    );

    it('made exactly one build per distinct content key, numbered 1, 2, 3 …', async () => {
      const builds = await world.count('builds');
      expect(builds).toBe(keys.size);
      const page = await app.call('GET', '/v1/orgs/acme/repos/web/builds?limit=100', {
        token: app.adminToken,
      });
      const numbers = (page.body as { items: Build[] }).items.map((b) => b.number);
      expect(numbers).toEqual(Array.from({ length: builds }, (_, i) => builds - i));
    });
  });

  describe('deliveries that store nothing', () => {
    const [example] = loadWebhookExamples('push');
    const payload = { ...example!.payload, after: 'a'.repeat(40), deleted: false };

    it.each([
      ['no signature', { signatures: [] as ('sha256' | 'sha1')[] }],
      ['a SHA-1 signature only', { signatures: ['sha1'] as ('sha256' | 'sha1')[] }],
      ['a signature with another secret', { secret: 'not-the-webhook-secret' }],
    ])('%s → 401', async (_case, input) => {
      const before = [await world.count('builds'), await world.count('deliveries')];
      const answer = await world.deliver({ payload, ...input });
      expect(answer.status).toBe(401);
      expect([await world.count('builds'), await world.count('deliveries')]).toEqual(before);
    });

    it('a malformed signature header → 401', async () => {
      const before = await world.count('deliveries');
      const answer = await app.call('POST', `/webhooks/github/${world.webhookId}`, {
        headers: {
          'x-github-event': 'push',
          'x-github-delivery': 'malformed-1',
          'x-hub-signature-256': 'sha256=not-hex',
        },
        rawBody: JSON.stringify(payload),
      });
      expect(answer.status).toBe(401);
      expect(await world.count('deliveries')).toBe(before);
    });

    it('one byte flipped after signing → 401', async () => {
      const before = await world.count('builds');
      const answer = await world.deliver({ payload }, (body) =>
        body.replace('"ref":"refs/', '"ref":"refz/'),
      );
      expect(answer.status).toBe(401);
      expect(await world.count('builds')).toBe(before);
    });

    it('malformed JSON with a valid signature → 400', async () => {
      const answer = await world.deliver({ payload: '{"ref": "refs/heads/main",' });
      expect(answer).toMatchObject({ status: 400, body: { error: { code: 'invalid_input' } } });
    });

    it('26 MB → 413, nothing stored', async () => {
      const before = await world.count('deliveries');
      const body = Buffer.alloc(26 * 1024 * 1024, 0x20);
      const answer = await app.call('POST', `/webhooks/github/${world.webhookId}`, {
        headers: {
          'x-github-event': 'push',
          'x-github-delivery': 'big-1',
          'x-hub-signature-256': signGithubPayload(body, world.secret),
        },
        rawBody: body,
      });
      expect(answer).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
      expect(await world.count('deliveries')).toBe(before);
    });

    it('an unknown webhook → 404', async () => {
      const answer = await app.call('POST', '/webhooks/github/wh_nope', {
        headers: {
          'x-github-event': 'ping',
          'x-github-delivery': 'x',
          'x-hub-signature-256': 'sha256=00',
        },
        rawBody: '{}',
      });
      expect(answer.status).toBe(404);
    });
  });

  describe('idempotency', () => {
    const [example] = loadWebhookExamples('push');
    const pushOf = (after: string) => ({ ...example!.payload, after, deleted: false });

    it('the same delivery 10× in sequence → one build', async () => {
      const before = await world.count('builds');
      const payload = pushOf('b'.repeat(40));
      const ids = new Set<string>();
      for (let i = 0; i < 10; i++) {
        const answer = await world.deliver({ payload, deliveryId: 'seq-delivery' });
        expect(answer.status).toBe(200);
        ids.add((answer.body as Accepted).build!.id);
      }
      expect(ids.size).toBe(1);
      expect(await world.count('builds')).toBe(before + 1);
    });

    it('the same delivery 50× concurrently → one build', async () => {
      const before = await world.count('builds');
      const payload = pushOf('c'.repeat(40));
      const answers = await Promise.all(
        Array.from({ length: 50 }, () =>
          world.deliver({ payload, deliveryId: 'concurrent-delivery' }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
      expect(new Set(answers.map((a) => (a.body as Accepted).build!.id)).size).toBe(1);
      expect(await world.count('builds')).toBe(before + 1);
    });

    it('a new delivery id for the same push → the same build, no second one', async () => {
      const payload = pushOf('d'.repeat(40));
      const first = await world.deliver({ payload, deliveryId: 'first-id' });
      const before = await world.count('builds');
      const second = await world.deliver({ payload, deliveryId: 'second-id' });
      expect((second.body as Accepted).build!.id).toBe((first.body as Accepted).build!.id);
      expect(await world.count('builds')).toBe(before);
    });

    it('a delivery ignored for another repository stays ignored when delivered again', async () => {
      await app.services.repos.update('acme', 'web', { githubRepo: 'acme/web' });
      const payload = {
        ...pushOf('9'.repeat(40)),
        repository: { ...example!.payload.repository, full_name: 'someone/else' },
      };
      const first = await world.deliver({ payload, deliveryId: 'other-repo' });
      expect(first).toMatchObject({ status: 202, body: { ignored: true } });
      expect((first.body as { reason: string }).reason).toContain('someone/else');
      await app.services.repos.update('acme', 'web', { githubRepo: null });
      const again = await world.deliver({ payload, deliveryId: 'other-repo' });
      expect(again).toMatchObject({ status: 202, body: { ignored: true } });
    });

    it('ping → 200 without a build; other events → 202 with a reason', async () => {
      expect(await world.deliver({ event: 'ping', payload: { zen: 'hi' } })).toMatchObject({
        status: 200,
        body: { build: null },
      });
      const issues = await world.deliver({ event: 'issues', payload: { action: 'opened' } });
      expect(issues).toMatchObject({ status: 202, body: { ignored: true } });
      expect((issues.body as { reason: string }).reason).toContain('issues');
    });
  });

  it('stores hostile branch names and commit messages and returns them as inert data', async () => {
    const [example] = loadWebhookExamples('push');
    const hostile = `$(id);rm -rf /\n\u001b[31mred\u001b[0m\u0000${'x'.repeat(4096)}`;
    const payload = {
      ...example!.payload,
      ref: `refs/heads/${hostile}`,
      after: 'e'.repeat(40),
      deleted: false,
      head_commit: { ...example!.payload.head_commit!, id: 'e'.repeat(40), message: hostile },
    };
    const answer = await world.deliver({ payload });
    expect(answer.status).toBe(200);
    const build = await world.getBuild((answer.body as Accepted).build!.number);
    expect(build.git.branch).toBe(hostile);
    expect(build.git.ref).toBe(`refs/heads/${hostile}`);
    expect(build.git.message).toBe(hostile);
  });
});
