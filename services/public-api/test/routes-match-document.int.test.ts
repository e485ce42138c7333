import { randomBytes } from 'node:crypto';
import type { RunnerEvent } from '@gibbon/contracts';
import { loadOpenApiDocument } from '@gibbon/contracts/documents';
import { githubDelivery } from '@gibbon/test-kit';
import { MasterKeyRing } from '../src/crypto/master-key-ring';
import { masterKeyFromEnvironment } from '../src/crypto/master-key-stores';
import { notImplementedMarker } from '../src/http/app';
import { operationsOf } from '../src/http/operations';
import { startTestApp, type CallOptions, type TestApp } from './harness';

interface Sample extends CallOptions {
  readonly path: string;
  /** An endless answer (server-sent events): only its status is read. */
  readonly stream?: boolean;
}

/** What `beforeAll` seeded for the build-side samples. */
interface Seeded {
  readonly paramSetId: string;
  readonly tokenId: string;
  readonly runnerId: string;
  readonly registrationTokenId: string;
  readonly webhookId: string;
  readonly webhookSecret: string;
  readonly adminToken: string;
  readonly scheduleId: string;
  /** Deleted by its sample, which may run before the other schedule samples. */
  readonly doomedScheduleId: string;
}

const metricsToken = 'walk-metrics-token-0123456789';
const ranBuild = '/v1/orgs/acme/repos/web/builds/1';
const waitingBuild = '/v1/orgs/acme/repos/web/builds/2';
const triggeredBuild = '/v1/orgs/acme/repos/web/builds/3';

/** A valid request for each implemented operation, run in this order against one app. */
function requests(ids: Seeded): Record<string, Sample> {
  const ping = githubDelivery({ event: 'ping', payload: { zen: 'hi' }, secret: ids.webhookSecret });
  return {
    getHealth: { path: '/healthz' },
    getOpenApiDocument: { path: '/v1/openapi.json' },
    getMetrics: { path: '/metrics', token: metricsToken },
    createSession: { path: '/v1/session', body: { token: ids.adminToken } },
    getSession: { path: '/v1/session' },
    deleteSession: { path: '/v1/session' },
    createOrg: { path: '/v1/orgs', body: { slug: 'walk' } },
    listOrgs: { path: '/v1/orgs' },
    getOrg: { path: '/v1/orgs/acme' },
    getRetentionPolicy: { path: '/v1/orgs/acme/retention' },
    putRetentionPolicy: { path: '/v1/orgs/acme/retention', body: { logs: { days: 30 } } },
    createRepo: {
      path: '/v1/orgs/acme/repos',
      body: { name: 'walked', url: 'https://git.example.test/w.git' },
    },
    listRepos: { path: '/v1/orgs/acme/repos' },
    getRepo: { path: '/v1/orgs/acme/repos/web' },
    updateRepo: { path: '/v1/orgs/acme/repos/web', body: { mainBranch: 'dev' } },
    deleteRepo: { path: '/v1/orgs/acme/repos/gone' },
    createWebhook: { path: '/v1/orgs/acme/repos/web/webhooks' },
    receiveGithubDelivery: {
      path: `/webhooks/github/${ids.webhookId}`,
      headers: ping.headers,
      rawBody: ping.body,
    },
    triggerBuild: { path: '/v1/orgs/acme/repos/web/builds', body: { branch: 'main' } },
    listBuilds: { path: '/v1/orgs/acme/repos/web/builds' },
    getBuild: { path: triggeredBuild },
    cancelBuild: { path: `${triggeredBuild}/cancel` },
    retryBuild: { path: `${triggeredBuild}/retry` },
    approveJob: { path: `${waitingBuild}/jobs/deploy/approve`, body: { comment: 'ok' } },
    rejectJob: { path: `${waitingBuild}/jobs/publish/reject` },
    getJobLog: { path: `${ranBuild}/jobs/test/logs` },
    getJobLogTimes: { path: `${ranBuild}/jobs/test/logs/times` },
    listArtifacts: { path: `${ranBuild}/artifacts` },
    downloadArtifact: { path: `${ranBuild}/artifacts/dist` },
    streamOrgEvents: { path: '/v1/orgs/acme/events', stream: true },
    createSchedule: { path: '/v1/orgs/acme/repos/web/schedules', body: { cron: '0 3 * * *' } },
    listSchedules: { path: '/v1/orgs/acme/repos/web/schedules' },
    getSchedule: { path: `/v1/orgs/acme/repos/web/schedules/${ids.scheduleId}` },
    updateSchedule: {
      path: `/v1/orgs/acme/repos/web/schedules/${ids.scheduleId}`,
      body: { enabled: false },
    },
    listScheduleRuns: { path: `/v1/orgs/acme/repos/web/schedules/${ids.scheduleId}/runs` },
    listDeliveries: { path: '/v1/orgs/acme/repos/web/deliveries' },
    deleteSchedule: { path: `/v1/orgs/acme/repos/web/schedules/${ids.doomedScheduleId}` },
    createParamSet: { path: '/v1/orgs/acme/params', body: { values: [] } },
    listParamSets: { path: '/v1/orgs/acme/params' },
    getParamSet: { path: `/v1/orgs/acme/params/${ids.paramSetId}` },
    updateParamSet: { path: `/v1/orgs/acme/params/${ids.paramSetId}`, body: { description: 'd' } },
    deleteParamSet: { path: `/v1/orgs/acme/params/${ids.paramSetId}` },
    createToken: { path: '/v1/orgs/acme/tokens', body: { name: 't', role: 'read' } },
    listTokens: { path: '/v1/orgs/acme/tokens' },
    deleteToken: { path: `/v1/orgs/acme/tokens/${ids.tokenId}` },
    createRunner: { path: '/v1/runners', body: { name: 'r' } },
    listRunners: { path: '/v1/runners' },
    drainRunner: { path: `/v1/runners/${ids.runnerId}/drain` },
    deleteRunner: { path: `/v1/runners/${ids.runnerId}` },
    createRunnerRegistrationToken: { path: '/v1/runner-registration-tokens', body: {} },
    listRunnerRegistrationTokens: { path: '/v1/runner-registration-tokens' },
    revokeRunnerRegistrationToken: {
      path: `/v1/runner-registration-tokens/${ids.registrationTokenId}`,
    },
    listOrgAudit: { path: '/v1/orgs/acme/audit' },
    listAudit: { path: '/v1/audit?limit=5' },
    getKeyStatus: { path: '/v1/admin/keys' },
    rotateSigningKey: { path: '/v1/admin/keys/signing/rotate' },
    rotateMasterKey: { path: '/v1/admin/keys/master/rotate' },
  };
}

describe('the OpenAPI document and the routes agree', () => {
  const operations = operationsOf(loadOpenApiDocument('public-api'));
  let app: TestApp;
  let samples: Record<string, Sample>;

  beforeAll(async () => {
    // A previous master key beside the current one, as GIBBON_MASTER_KEY_PREVIOUS gives it:
    // the master key rotation then has a key to rotate from.
    const keys = masterKeyFromEnvironment(randomBytes(32), [randomBytes(32)]);
    app = await startTestApp({ masterKey: await MasterKeyRing.open(keys), metricsToken });
    await app.services.orgs.create({ slug: 'acme' });
    await app.services.repos.create('acme', {
      name: 'web',
      url: 'https://git.example.test/web.git',
    });
    await app.services.repos.create('acme', {
      name: 'gone',
      url: 'https://git.example.test/g.git',
    });
    const runnerId = (await app.services.runners.register({ name: 'x' })).id;
    await runOneBuild(app, runnerId);
    await startWaitingBuild(app, runnerId);
    const webhook = await app.services.webhooks.create('acme', 'web');
    samples = requests({
      paramSetId: (await app.services.params.create('acme', {})).id,
      tokenId: (await app.services.tokens.createOrgToken('acme', { name: 'x', role: 'read' })).id,
      runnerId,
      registrationTokenId: (await app.services.registrationTokens.create({})).id,
      webhookId: webhook.id,
      webhookSecret: webhook.secret,
      adminToken: app.adminToken,
      scheduleId: (await app.services.schedules.create('acme', 'web', { cron: '0 4 * * *' })).id,
      doomedScheduleId: (await app.services.schedules.create('acme', 'web', { cron: '0 5 * * *' }))
        .id,
    });
  });
  afterAll(() => app.close());

  it('every documented operation is served', () => {
    const unaccounted = operations.map((op) => op.operationId).filter((id) => !(id in samples));
    expect(unaccounted).toEqual([]);
    const stale = Object.keys(samples).filter(
      (id) => !operations.some((op) => op.operationId === id),
    );
    expect(stale).toEqual([]);
  });

  it('every operation that needs a token documents the 400, 401 and 403 the app can answer', () => {
    const document = loadOpenApiDocument('public-api');
    const missing = operations
      .filter((op) => op.tokenKinds.length > 0)
      .flatMap((op) => {
        const item = document.paths[op.path]?.[op.method.toLowerCase()] as {
          responses: Record<string, unknown>;
        };
        return ['400', '401', '403']
          .filter((status) => !(status in item.responses))
          .map((status) => `${op.operationId} ${status}`);
      });
    expect(missing).toEqual([]);
  });

  it.each(operationsOf(loadOpenApiDocument('public-api')))(
    '$method $path ($operationId) is routed to a handler that answers 2xx',
    async (operation) => {
      const sample = samples[operation.operationId];
      if (!sample) throw new Error(`No sample request for ${operation.operationId}.`);
      if (sample.stream) {
        const hangUp = new AbortController();
        const response = await fetch(app.baseUrl + sample.path, {
          headers: { authorization: `Bearer ${app.adminToken}` },
          signal: hangUp.signal,
        });
        hangUp.abort();
        expect(response.status).toBe(200);
        return;
      }
      const answer = await app.call(operation.method, sample.path, {
        token: app.adminToken,
        ...sample,
      });
      expect(answer.text).not.toContain(notImplementedMarker);
      expect(answer.status).toBeGreaterThanOrEqual(200);
      expect(answer.status).toBeLessThan(300);
    },
  );
});

/** Build #2 of acme/web: claimed and running, its jobs `deploy` and `publish` wait for approval. */
async function startWaitingBuild(app: TestApp, runnerId: string): Promise<void> {
  const { builds, claims, runnerReports } = app.services;
  await builds.trigger('acme', 'web', { branch: 'main' });
  const claim = await claims.claim({ id: runnerId, labels: [] }, 0, new AbortController().signal);
  if (!claim) throw new Error('The queued build must be claimable.');
  const at = new Date().toISOString();
  for (const jobId of ['deploy', 'publish']) {
    const report = (event: RunnerEvent) =>
      runnerReports.recordEvent(claim.build.id, claim.lease.id, event);
    await report({ type: 'job.pending', jobId, kind: 'container', dependsOn: [], at });
    await report({ type: 'job.waiting', jobId, at });
  }
}

/** Build #1 of acme/web: claimed, one job `test` declared, finished; with an artifact `dist`. */
async function runOneBuild(app: TestApp, runnerId: string): Promise<void> {
  const { builds, claims, runnerReports } = app.services;
  await builds.trigger('acme', 'web', { branch: 'main' });
  const claim = await claims.claim({ id: runnerId, labels: [] }, 0, new AbortController().signal);
  if (!claim) throw new Error('The queued build must be claimable.');
  const at = new Date().toISOString();
  await runnerReports.recordEvent(claim.build.id, claim.lease.id, {
    type: 'job.pending',
    jobId: 'test',
    kind: 'container',
    dependsOn: [],
    at,
  });
  await runnerReports.result(claim.build.id, claim.lease.id, { status: 'success' });
  await app.blobStore.put('artifacts/acme/web/1/dist.tar.gz', Buffer.from([0x1f, 0x8b]));
}
