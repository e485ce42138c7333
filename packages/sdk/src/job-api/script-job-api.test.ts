import { OutputBoard } from '../executor/outputs';
import { randomInt } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, NotFoundError } from '@gibbon/contracts';
import { testContext } from '../../test/context';
import { InMemoryScriptApi } from '../../test/in-memory-script-api';
import { Outbox } from '../client/outbox';
import { BatchedJobLog } from './job-log';
import { ScriptJobApi } from './script-job-api';
import { CommandFailedError, SH_KILL_GRACE_MS } from './sh';
import { isSkipSignal } from './skip';

let checkout: string;
let api: InMemoryScriptApi;
let outbox: Outbox;
let log: BatchedJobLog;

function jobApi(signal = new AbortController().signal): ScriptJobApi {
  return new ScriptJobApi({
    api,
    hooks: { ...new OutputBoard().collector(), addJobs: () => undefined },
    jobId: 'job',
    ctx: testContext(),
    signal,
    log,
    checkout,
    baseEnv: { PATH: process.env.PATH },
  });
}

async function lines(): Promise<string[]> {
  await log.flush();
  return api.linesOf('job');
}

beforeEach(async () => {
  checkout = await mkdtemp(join(tmpdir(), 'gibbon-checkout-'));
  api = new InMemoryScriptApi({ NPM_TOKEN: 'npm_abcdef' });
  outbox = new Outbox();
  log = new BatchedJobLog(api, 'job', outbox);
});
afterEach(() => rm(checkout, { recursive: true, force: true }));

describe('job.sh', () => {
  it('runs argv in the checkout and sends stdout and stderr line by line', async () => {
    await writeFile(join(checkout, 'marker.txt'), 'here\n');
    const job = jobApi();
    await job.sh(['sh', '-c', 'cat marker.txt; echo "to stderr" >&2; printf "no newline"'], {
      env: { EXTRA: 'x' },
    });
    const [command, ...output] = await lines();
    expect(command).toBe(
      '$ sh -c "cat marker.txt; echo \\"to stderr\\" >&2; printf \\"no newline\\""',
    );
    // stdout and stderr are two pipes: their relative order is not defined.
    expect(output.sort()).toEqual(['here', 'no newline', 'to stderr']);
  });

  it('passes arguments literally, never through a shell', async () => {
    await jobApi().sh(['echo', '$(id)', '`whoami`; rm -rf /', '*']);
    expect((await lines())[1]).toBe('$(id) `whoami`; rm -rf / *');
  });

  it('adds the given env to the base environment', async () => {
    await jobApi().sh(['sh', '-c', 'echo "$GREETING $PATH"'], { env: { GREETING: 'hello' } });
    expect((await lines())[1]).toBe(`hello ${process.env.PATH}`);
  });

  it('rejects with the exit code when the command fails', async () => {
    const failing = jobApi().sh(['sh', '-c', 'exit 7']);
    await expect(failing).rejects.toBeInstanceOf(CommandFailedError);
    await expect(failing).rejects.toMatchObject({ exitCode: 7, message: 'sh exited with code 7.' });
  });

  it('rejects clearly when the program does not exist', async () => {
    await expect(jobApi().sh(['no-such-program-gibbon'])).rejects.toThrow(
      /could not start no-such-program-gibbon/,
    );
  });

  it('kills the command and its children when the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const running = jobApi(controller.signal).sh(['sh', '-c', 'sleep 30 & sleep 30; wait']);
    setTimeout(() => controller.abort(new Error('timed out')), 100);
    await expect(running).rejects.toThrow('timed out');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  describe('on abort, what a command left outside its process group', () => {
    /** Processes of this machine whose command line holds `text`. */
    function processesWith(text: string): string[] {
      return readdirSync('/proc')
        .filter((name) => /^\d+$/.test(name))
        .map((pid) => {
          try {
            return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
          } catch {
            return '';
          }
        })
        .filter((command) => command.includes(text));
    }

    async function gone(text: string): Promise<string[]> {
      const until = Date.now() + SH_KILL_GRACE_MS + 5_000;
      while (processesWith(text).length > 0 && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return processesWith(text);
    }

    async function abortAfterStart(script: string): Promise<void> {
      const controller = new AbortController();
      const running = jobApi(controller.signal).sh(['sh', '-c', script]);
      while (!(await lines()).includes('started')) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      controller.abort(new Error('timed out'));
      await expect(running).rejects.toThrow('timed out');
    }

    it('kills children that left with setsid and nohup and ignore SIGTERM, as the command does', async () => {
      const marker = `sleep ${randomInt(50_000, 60_000)}`;
      await abortAfterStart(
        [
          "trap '' TERM",
          `setsid sh -c "trap '' TERM; while true; do ${marker}; done" &`,
          `nohup sh -c "trap '' TERM; ${marker}" >/dev/null 2>&1 &`,
          'echo started',
          'while true; do sleep 1; done',
        ].join('\n'),
      );
      expect(await gone(marker)).toEqual([]);
    }, 20_000);

    it('kills a nohup child that ignores SIGTERM after the command itself has exited', async () => {
      const marker = `sleep ${randomInt(60_000, 70_000)}`;
      await abortAfterStart(
        `nohup sh -c "trap '' TERM; ${marker}" >/dev/null 2>&1 &\necho started\nwait`,
      );
      // The command exits on SIGTERM at once; its child outlives it until the grace is over.
      expect(processesWith(marker).length).toBeGreaterThan(0);
      expect(await gone(marker)).toEqual([]);
    }, 20_000);
  });

  it('keeps a long output complete and in order when the runner is slow', async () => {
    const slow = api.appendLogs.bind(api);
    api.appendLogs = (jobId, batch) =>
      new Promise((resolve) => setTimeout(() => resolve(slow(jobId, batch)), 5));
    await jobApi().sh(['seq', '1', '20000']);
    const output = (await lines()).slice(1);
    expect(output).toHaveLength(20000);
    expect(output.every((line, i) => line === String(i + 1))).toBe(true);
  });

  it('refuses a cwd outside the checkout', async () => {
    await expect(jobApi().sh(['true'], { cwd: '../..' })).rejects.toThrow(
      /sh\(\) cwd "..\/.." leaves the checkout/,
    );
  });
});

describe('job artifacts', () => {
  it('saves a folder and restores its contents into another path', async () => {
    await mkdir(join(checkout, 'dist/sub'), { recursive: true });
    await writeFile(join(checkout, 'dist/app.js'), 'console.log(1)');
    await writeFile(join(checkout, 'dist/sub/x.txt'), 'x');
    const job = jobApi();
    await job.saveArtifact('dist', 'dist');
    expect(api.artifacts.get('dist')?.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    await job.restoreArtifact('dist', 'restored/here');
    expect(await readFile(join(checkout, 'restored/here/app.js'), 'utf8')).toBe('console.log(1)');
    expect(await readFile(join(checkout, 'restored/here/sub/x.txt'), 'utf8')).toBe('x');
  });

  it('says in the log which hidden files and folders an artifact holds, and keeps them', async () => {
    await mkdir(join(checkout, 'site/.git'), { recursive: true });
    await writeFile(join(checkout, 'site/.git/config'), '[core]');
    await mkdir(join(checkout, 'site/assets'), { recursive: true });
    await writeFile(join(checkout, 'site/assets/.env'), 'A=1');
    await writeFile(join(checkout, 'site/index.html'), '<p>');
    const job = jobApi();
    await job.saveArtifact('site', 'site');
    expect(await lines()).toEqual([
      'Artifact site holds hidden files and folders (.git/, assets/.env); artifacts are stored as they are, not masked: make sure none of them holds a secret, or save a folder without them.',
    ]);
    await job.restoreArtifact('site', 'back');
    expect(await readFile(join(checkout, 'back/.git/config'), 'utf8')).toBe('[core]');
    await writeFile(join(checkout, 'plain.txt'), 'x');
    await job.saveArtifact('plain', 'plain.txt');
    expect(await lines()).toHaveLength(1);
  });

  it('saves a single file under its own name', async () => {
    await writeFile(join(checkout, 'report.xml'), '<ok/>');
    const job = jobApi();
    await job.saveArtifact('report', 'report.xml');
    await job.restoreArtifact('report', 'out');
    expect(await readFile(join(checkout, 'out/report.xml'), 'utf8')).toBe('<ok/>');
  });

  it('refuses paths that leave the checkout, absolute paths and bad ids', async () => {
    const job = jobApi();
    await expect(job.saveArtifact('etc', '../../etc')).rejects.toThrow(
      'The artifact "etc" path "../../etc" leaves the checkout.',
    );
    await expect(job.saveArtifact('etc', '/etc')).rejects.toThrow(/is absolute/);
    await expect(job.restoreArtifact('etc', 'a/../../b')).rejects.toThrow(/leaves the checkout/);
    await expect(job.saveArtifact('../x', 'dist')).rejects.toThrow(InputError);
    expect(api.artifacts.size).toBe(0);
  });

  it('refuses a symlink that leads out of the checkout', async () => {
    await symlink('/etc', join(checkout, 'escape'));
    const job = jobApi();
    await expect(job.saveArtifact('etc', 'escape')).rejects.toThrow(
      /leads out of the checkout through a symlink/,
    );
    await expect(job.restoreArtifact('etc', 'escape/sub')).rejects.toThrow(/through a symlink/);
  });

  it('fails clearly on nothing to save and on an unknown artifact', async () => {
    const job = jobApi();
    await expect(job.saveArtifact('none', 'missing')).rejects.toThrow(
      'Artifact "none": nothing to save at "missing".',
    );
    await expect(job.restoreArtifact('none', 'x')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('the rest of the job API', () => {
  it('reads parameters through the Script API', async () => {
    const job = jobApi();
    expect(await job.param('NPM_TOKEN')).toBe('npm_abcdef');
    // A parameter the build cannot see fails the job, saying what to do; unless it may be missing.
    await expect(job.param('MISSING')).rejects.toThrow(
      /^job\.param\("MISSING"\): no parameter set of the org that applies to this repository holds MISSING/,
    );
    await expect(job.param('MISSING')).rejects.toBeInstanceOf(NotFoundError);
    expect(await job.param('MISSING', { optional: true })).toBeUndefined();
    expect(await job.params()).toEqual({ NPM_TOKEN: 'npm_abcdef' });
  });

  it('refuses parameter names that are not environment-variable names', async () => {
    await expect(jobApi().param('../admin')).rejects.toThrow(InputError);
    await expect(jobApi().param('A B')).rejects.toThrow(
      /parameter names look like environment variables/,
    );
  });

  it('registers masks of 4 characters or more only', async () => {
    const job = jobApi();
    await job.mask('abc');
    await job.mask('abcd');
    expect(api.masks).toEqual(['abcd']);
  });

  it('formats log values like console.log and splits lines', async () => {
    jobApi().log('count', 3, { a: 1 }, 'two\nlines');
    expect(await lines()).toEqual(['count 3 { a: 1 } two', 'lines']);
  });

  it('skip throws the skip signal with its reason', () => {
    let thrown: unknown;
    try {
      jobApi().skip('docs only');
    } catch (error) {
      thrown = error;
    }
    expect(isSkipSignal(thrown) && thrown.reason).toBe('docs only');
  });

  it('rejects calls once its signal has aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('canceled'));
    await expect(jobApi(controller.signal).param('NPM_TOKEN')).rejects.toThrow('canceled');
  });
});
