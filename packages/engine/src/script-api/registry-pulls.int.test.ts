import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDiskBlobStore } from '@gibbon/storage';
import { dockerClient, startRecordingServer, type RecordingServer } from '@gibbon/test-kit';
import { testBuildContext } from '../../test/build-context';
import { httpCall } from '../../test/http-call';
import { testApiSettings } from '../../test/script-api-settings';
import { DockerBackend } from '../containers/docker/docker-backend';
import { reapContainers } from '../containers/docker/reap';
import { defaultContainerConfig } from '../containers/types';
import { MemoryLogSink } from '../logs/log-sink';
import { Masker } from '../masking/masker';
import { openScriptApi, type OpenScriptApi } from './open-script-api';
import { StaticParamProvider } from './params';

// Private images: the engine pulls a job's image and its services' images with the
// credentials of the build's DOCKER_AUTH_CONFIG parameter. A registry stand-in on loopback
// (Docker pulls from 127.0.0.1 over plain HTTP) asks for Basic auth and records what came.
const docker = dockerClient();
const runnerId = `registry-pulls-${process.pid}`;
const backend = new DockerBackend(docker, {
  ...defaultContainerConfig,
  runnerId,
  network: 'none',
  stopGraceSeconds: 1,
});
let folder: string;
let store: LocalDiskBlobStore;
let registry: RecordingServer;
let api: OpenScriptApi;

const password = 'registry-password-31';
const expectedAuth = `Basic ${Buffer.from(`bot:${password}`).toString('base64')}`;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'gibbon-registry-pulls-'));
  store = new LocalDiskBlobStore({ root: join(folder, 'store') });
  await store.open();
  registry = await startRecordingServer({
    defaultResponse: { status: 404, body: { errors: [{ code: 'MANIFEST_UNKNOWN' }] } },
    routes: {
      // The API check: without credentials, a challenge; with them, welcome.
      'GET /v2/': (request) =>
        request.headers.authorization === expectedAuth
          ? { status: 200, body: {} }
          : {
              status: 401,
              body: { errors: [{ code: 'UNAUTHORIZED' }] },
              headers: { 'www-authenticate': 'Basic realm="stand-in"' },
            },
    },
  });
  const host = new URL(registry.url).host;
  const auth = { auths: { [host]: { username: 'bot', password } } };
  api = await openScriptApi({
    onEvent: () => undefined,
    context: testBuildContext({ trusted: true }),
    checkoutDir: folder,
    masker: new Masker(),
    params: new StaticParamProvider({ DOCKER_AUTH_CONFIG: JSON.stringify(auth) }),
    logSink: new MemoryLogSink(),
    backend,
    store,
    ...testApiSettings(),
  });
});

afterAll(async () => {
  await api.close();
  await registry.close();
  await reapContainers(docker, { runner: runnerId });
  await store.close();
  await rm(folder, { recursive: true, force: true });
});

describe('pulls of private images', () => {
  it("sends the build's registry credentials for a service's image, as for the job's", async () => {
    const host = new URL(registry.url).host;
    const job = {
      id: 'integration',
      image: `${host}/team/app:1`,
      script: ['true'],
      services: [{ id: 'db', image: `${host}/team/db:1` }],
    };
    const answer = await httpCall(api.url, 'POST', '/v1/jobs/integration/run', {
      token: api.token,
      body: job,
    });
    const result = answer.json<{ status: string; message: string }>();
    // The stand-in has no images: the pull fails after authenticating, naming the image.
    expect(result.status).toBe('error');
    expect(result.message).toMatch(new RegExp(`^Could not pull image ${host}/team/db:1: `));
    const authorized = registry.requests.filter(
      (request) => request.headers.authorization === expectedAuth,
    );
    expect(authorized.map((request) => request.path)).toContain('/v2/team/db/manifests/1');
  }, 60_000);
});
