import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleBuildScript } from '../test/bundle-script';
import { testContext } from '../test/context';
import { REQUIRED_OPERATIONS } from './client/operations';
import type { ScriptEvent } from './client/types';
import { ScriptApiStandIn, openApiDocument, sendJson } from '../test/script-api-server';

interface ScriptRun {
  code: number | null;
  stderr: string;
  stdout: string;
}

let folder: string;
let api: ScriptApiStandIn;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'gibbon-runtime-'));
});
afterEach(async () => {
  await api?.close();
  await rm(folder, { recursive: true, force: true });
});

/** A stand-in runner: serves `document`, answers the context and accepts events. */
async function startRunner(document?: unknown): Promise<ScriptApiStandIn> {
  const standIn = await ScriptApiStandIn.start('unix', document);
  standIn.on('GET /v1/build', (_req, res) => sendJson(res, 200, testContext()));
  standIn.on('POST /v1/events', (_req, res) => res.writeHead(204).end());
  return standIn;
}

function runBundle(
  bundle: string,
  env: NodeJS.ProcessEnv,
  afterStart?: (pid: number) => void,
): Promise<ScriptRun> {
  const child = spawn(process.execPath, [bundle], {
    cwd: folder,
    env: { PATH: process.env.PATH, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  if (afterStart && child.pid) afterStart(child.pid);
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** True once `pid` has exited (a zombie waiting for its reaper counts as exited). */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 40; i += 1) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    if (stat === '' || / Z /.test(stat)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

const eventsOf = (standIn: ScriptApiStandIn): ScriptEvent[] =>
  standIn.requests
    .filter((r) => r.path === '/v1/events')
    .map((r) => JSON.parse(r.body.toString()) as ScriptEvent);

const logsOf = (standIn: ScriptApiStandIn, jobId: string): string[] =>
  standIn.requests
    .filter((r) => r.path === `/v1/jobs/${jobId}/logs`)
    .flatMap((r) => (JSON.parse(r.body.toString()) as { lines: string[] }).lines);

describe('a bundled build script run as a process', () => {
  it('runs its jobs against the runner and exits 0', async () => {
    api = await startRunner();
    api.on('POST /v1/jobs/lint/run', (req, res) =>
      sendJson(res, 200, {
        jobId: 'lint',
        status: 'success',
        exitCode: 0,
        startedAt: null,
        finishedAt: new Date().toISOString(),
        attempt: 1,
        message: null,
      }),
    );
    api.on('POST /v1/jobs/hello/logs', (_req, res) => res.writeHead(204).end());
    api.on('POST /v1/jobs/plain/logs', (_req, res) => res.writeHead(204).end());
    const bundle = await bundleBuildScript(
      folder,
      `import { action, container, pipeline } from '@gibbon/sdk';
       export default pipeline((ctx) => [
         container('lint', { image: 'alpine:3', command: ['true'] }),
         action('hello', async (job) => {
           await job.sh(['echo', 'hi from', ctx.git.branch ?? '?']);
           await new Promise((resolve) => setTimeout(resolve, 5));
           console.log('via console', 42);
         }, { dependsOn: ['lint'] }),
         action('plain', () => console.log('not in a job log?')),
       ]);`,
    );
    const run = await runBundle(bundle, api.env);
    expect(run).toMatchObject({ code: 0, stderr: '', stdout: '' });
    expect(logsOf(api, 'hello')).toEqual([
      '$ echo "hi from" main',
      'hi from main',
      'via console 42',
    ]);
    expect(logsOf(api, 'plain')).toEqual(['not in a job log?']);
    const events = eventsOf(api);
    expect(events.slice(0, 3).map((e) => e.type)).toEqual([
      'job.pending',
      'job.pending',
      'job.pending',
    ]);
    const helloEvents = events.filter((e) => e.type !== 'script.ended' && e.jobId === 'hello');
    expect(helloEvents.map((e) => e.type)).toEqual([
      'job.pending',
      'job.queued',
      'job.started',
      'job.ended',
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'script.ended', status: 'success' });
  });

  it('exits 1 when a job fails', async () => {
    api = await startRunner();
    api.on('POST /v1/jobs/test/run', (_req, res) =>
      sendJson(res, 200, {
        jobId: 'test',
        status: 'failure',
        exitCode: 4,
        startedAt: null,
        finishedAt: new Date().toISOString(),
        attempt: 1,
        message: 'exit code 4',
      }),
    );
    const bundle = await bundleBuildScript(
      folder,
      `import { container } from '@gibbon/sdk';\nexport default container('test', { image: 'alpine:3', script: ['exit 4'] });`,
    );
    const run = await runBundle(bundle, api.env);
    expect(run.code).toBe(1);
    expect(eventsOf(api).at(-1)).toMatchObject({ type: 'script.ended', status: 'failure' });
  });

  it('exits 2 with a clear message when the script throws at load', async () => {
    api = await startRunner();
    const bundle = await bundleBuildScript(
      folder,
      `throw new Error('no .env file here');\nexport default [];`,
    );
    const run = await runBundle(bundle, api.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('gibbon: The build script threw while loading: no .env file here\n');
    expect(eventsOf(api)).toEqual([
      expect.objectContaining({ type: 'script.ended', status: 'error' }),
    ]);
  });

  it('exits 2 when a detached callback throws', async () => {
    api = await startRunner();
    const bundle = await bundleBuildScript(
      folder,
      `import { action } from '@gibbon/sdk';
       export default action('timer', () => new Promise(() => { setTimeout(() => { throw new Error('boom in a timer'); }, 10); }));`,
    );
    const run = await runBundle(bundle, api.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^gibbon: the build script crashed: Error: boom in a timer/);
  });

  it('exits 2 naming the missing variable', async () => {
    const bundle = await bundleBuildScript(folder, `export default [];`);
    const run = await runBundle(bundle, { GIBBON_API_URL: 'unix:/tmp/nowhere.sock' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^gibbon: GIBBON_API_TOKEN is not set/);
  });

  it('exits 2 naming the operation a runner lacks', async () => {
    api = await startRunner(
      openApiDocument(REQUIRED_OPERATIONS.filter((op) => op.path !== '/v1/events')),
    );
    const bundle = await bundleBuildScript(folder, `export default [];`);
    const run = await runBundle(bundle, api.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/lacks operation this SDK needs: POST \/v1\/events\./);
  });

  it('on SIGTERM stops a running command, reports canceled and exits 1', async () => {
    api = await startRunner();
    api.on('POST /v1/jobs/wait/logs', (_req, res) => res.writeHead(204).end());
    const pidFile = join(folder, 'sleep.pid');
    const bundle = await bundleBuildScript(
      folder,
      `import { action } from '@gibbon/sdk';
       export default action('wait', (job) => job.sh(['sh', '-c', 'echo $$ > ${pidFile}; exec sleep 30']).then(() => undefined));`,
    );
    const started = Date.now();
    const run = await runBundle(bundle, api.env, (pid) => {
      setTimeout(() => process.kill(pid, 'SIGTERM'), 500);
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(run.code).toBe(1);
    expect(eventsOf(api).slice(-2)).toEqual([
      expect.objectContaining({ type: 'job.ended', jobId: 'wait', status: 'canceled' }),
      expect.objectContaining({ type: 'script.ended', status: 'canceled' }),
    ]);
    const sleepPid = Number(await readFile(pidFile, 'utf8'));
    expect(await gone(sleepPid)).toBe(true);
  });
});
