import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobLog } from '../logs/job-log';
import { MemoryLogSink } from '../logs/log-sink';
import { Masker } from '../masking/masker';
import { runScriptProcess } from './script-process';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'gibbon-script-process-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function runJs(
  source: string,
  options: {
    signal?: AbortSignal;
    graceMs?: number;
    maxOutputBytes?: number;
    masker?: Masker;
  } = {},
) {
  const bundlePath = join(folder, 'bundle.cjs');
  await writeFile(bundlePath, source);
  const sink = new MemoryLogSink();
  const log = new JobLog('_script', options.masker ?? new Masker(), sink);
  const result = await runScriptProcess({
    bundlePath,
    cwd: folder,
    apiUrl: 'unix:/nowhere/api.sock',
    apiToken: 'token-value',
    homeDir: folder,
    log,
    signal: options.signal ?? new AbortController().signal,
    graceMs: options.graceMs ?? 10_000,
    ...(options.maxOutputBytes ? { maxOutputBytes: options.maxOutputBytes } : {}),
  });
  log.close();
  return { result, lines: sink.linesOf('_script'), sink };
}

/** Running, not a zombie waiting for a parent that never reaps it (PID 1 in a container). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

describe('runScriptProcess', () => {
  it('gives the script only the allowlisted environment', async () => {
    process.env.RUNNER_SECRET_FOR_TEST = 'must-not-leak';
    const { result, lines } = await runJs('console.log(JSON.stringify(process.env))');
    delete process.env.RUNNER_SECRET_FOR_TEST;
    expect(result.exitCode).toBe(0);
    const env = JSON.parse(lines[0] ?? '{}') as Record<string, string>;
    expect(Object.keys(env).sort()).toEqual(['GIBBON_API_TOKEN', 'GIBBON_API_URL', 'HOME', 'PATH']);
    expect(env).toMatchObject({ HOME: folder, GIBBON_API_URL: 'unix:/nowhere/api.sock' });
  });

  it('captures stdout and stderr line by line through the masker, and the exit code', async () => {
    const masker = new Masker();
    masker.register('canary-secret');
    const { result, sink } = await runJs(
      'console.log("out canary-secret"); console.error("err"); process.exitCode = 3',
      { masker },
    );
    expect(result).toMatchObject({ exitCode: 3, aborted: false });
    expect(sink.entries.map((e) => [e.stream, e.text])).toEqual(
      expect.arrayContaining([
        ['stdout', 'out ***'],
        ['stderr', 'err'],
      ]),
    );
  });

  it('on cancel sends SIGTERM to the whole group, then SIGKILL after the grace period', async () => {
    const controller = new AbortController();
    const source = [
      "const { spawn } = require('node:child_process');",
      "const child = spawn('sleep', ['30'], { stdio: 'ignore' });",
      "process.on('SIGTERM', () => console.log('ignoring SIGTERM'));",
      'console.log(`child ${child.pid}`);',
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const started = Date.now();
    const running = runJs(source, { signal: controller.signal, graceMs: 500 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort();
    const { result, lines } = await running;
    expect(result).toMatchObject({ aborted: true, signal: 'SIGKILL' });
    expect(lines).toContain('ignoring SIGTERM');
    expect(Date.now() - started).toBeLessThan(5_000);
    const childPid = Number(lines.find((line) => line.startsWith('child '))?.slice(6));
    expect(childPid).toBeGreaterThan(0);
    expect(isAlive(childPid)).toBe(false);
  });

  it('kills children left in the background when the script exits', async () => {
    const source = [
      "const { spawn } = require('node:child_process');",
      "const child = spawn('sleep', ['30'], { stdio: 'ignore', detached: false });",
      'child.unref();',
      'console.log(`child ${child.pid}`);',
    ].join('\n');
    const { result, lines } = await runJs(source);
    expect(result.exitCode).toBe(0);
    const childPid = Number(lines[0]?.slice(6));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(isAlive(childPid)).toBe(false);
  });

  it('caps the output it keeps', async () => {
    const { lines } = await runJs('for (let i = 0; i < 10000; i++) console.log("x".repeat(99))', {
      maxOutputBytes: 10_000,
    });
    // 100 lines of 100 bytes fit the cap; the note comes right after them.
    expect(lines.slice(0, -1).join('\n').length).toBeLessThanOrEqual(10_000);
    expect(lines.length).toBeLessThanOrEqual(102);
    expect(lines.at(-1)).toBe('Output beyond 10000 bytes was dropped.');
  });
});
