import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerClient, ensureTestImage } from '@gibbon/test-kit';
import { testBuildContext } from '../../test/build-context';
import { DockerBackend } from '../containers/docker/docker-backend';
import { reapContainers } from '../containers/docker/reap';
import { defaultContainerConfig } from '../containers/types';
import { MemoryLogSink } from '../logs/log-sink';
import { StaticParamProvider } from '../script-api/params';
import { SandboxUidPool } from '../sandbox/uid-pool';
import { runBuild } from './run-build';

// The network of a build (docs/adr/0004-script-sandbox.md): an untrusted build's script and
// containers have none unless its repository opted in (`untrustedNetwork`). The script tries a
// server on the runner's loopback; the container job lists its network interfaces. The job
// network is `host` here (this machine's Docker has no bridge): a container on it lists the
// Docker host's interfaces, one on `none` only `lo`.
const buildFile = `
import { action, container, pipeline } from '@gibbon/sdk';

export default pipeline((ctx) => [
  action('script', async (job) => {
    try {
      const answer = await fetch(ctx.env.PROBE_URL ?? 'missing');
      job.log('loopback server answered: ' + (await answer.text()));
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
      job.log('loopback server unreachable: ' + code);
    }
  }),
  container('container', {
    image: ctx.env.TEST_IMAGE ?? 'missing',
    script: ['ls /sys/class/net'],
  }),
]);
`;

const docker = dockerClient();
const runnerId = `network-${process.pid}`;
const backend = new DockerBackend(docker, { ...defaultContainerConfig, runnerId, network: 'host' });
// A root runner lends each build a uid of its own, as in production.
const sandbox = process.getuid?.() === 0 ? { uids: new SandboxUidPool() } : {};

let root: string;
let image: string;
let server: Server;
let probeUrl: string;

beforeAll(async () => {
  image = await ensureTestImage();
  root = await mkdtemp(join(tmpdir(), 'gibbon-build-network-'));
  await chmod(root, 0o711);
  server = createServer((_request, response) => response.end('runner-only service'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  probeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await reapContainers(docker, { runner: runnerId });
  await rm(root, { recursive: true, force: true });
});

async function runNetworkBuild(trusted: boolean, untrustedNetwork?: boolean) {
  const name = `${trusted ? 'trusted' : 'untrusted'}-${String(untrustedNetwork)}`;
  const checkoutDir = await mkdtemp(join(root, `${name}-checkout-`));
  await mkdir(join(checkoutDir, '.gibbon'));
  await writeFile(join(checkoutDir, '.gibbon', 'build.ts'), buildFile);
  const context = testBuildContext({ trusted, id: name });
  context.env = { ...context.env, TEST_IMAGE: image, PROBE_URL: probeUrl };
  const sink = new MemoryLogSink();
  const outcome = await runBuild({
    checkoutDir,
    context,
    params: new StaticParamProvider({}),
    backend,
    network: 'host',
    logSink: sink,
    workDir: await mkdtemp(join(root, `${name}-work-`)),
    compileCacheDir: join(root, 'compile-cache'),
    scriptGraceMs: 2_000,
    stopGraceSeconds: 1,
    sandbox,
    ...(untrustedNetwork === undefined ? {} : { untrustedNetwork }),
  });
  expect(outcome).toMatchObject({ status: 'success' });
  const interfaces = sink.linesOf('container').filter((line) => !line.startsWith('+ '));
  return { script: sink.linesOf('script'), interfaces };
}

describe('the network of a build', () => {
  let hostInterfaces: string[];

  it('a trusted build reaches the runner loopback from its script; its containers are on the job network', async () => {
    const logs = await runNetworkBuild(true);
    expect(logs.script).toContain('loopback server answered: runner-only service');
    hostInterfaces = logs.interfaces;
    expect(hostInterfaces).toContain('lo');
    expect(hostInterfaces.length).toBeGreaterThan(1);
  }, 120_000);

  it('an untrusted build has no network by default: not from its script, not in its containers', async () => {
    const logs = await runNetworkBuild(false);
    expect(logs.script).toContain('loopback server unreachable: ECONNREFUSED');
    expect(logs.script.join('\n')).not.toContain('runner-only service');
    expect(logs.interfaces).toEqual(['lo']);
  }, 120_000);

  it("an untrusted build whose repository opted in gets a trusted build's network", async () => {
    const logs = await runNetworkBuild(false, true);
    expect(logs.script).toContain('loopback server answered: runner-only service');
    expect(logs.interfaces).toEqual(hostInterfaces);
  }, 120_000);

  it('the setting takes nothing from a trusted build', async () => {
    const logs = await runNetworkBuild(true, false);
    expect(logs.script).toContain('loopback server answered: runner-only service');
    expect(logs.interfaces).toEqual(hostInterfaces);
  }, 120_000);
});
