import { randomBytes } from 'node:crypto';
import { readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Build } from '@gibbon/contracts';
import type { RunnerUser } from '../../build/harness/stack';
import { waitForEnd, waitUntil } from '../../build/harness';
import { AttackStack } from './attack-stack';
import {
  attackerScript,
  attemptsIn,
  BOX_ATTEMPTS,
  holderScript,
  type BoxTargets,
} from './box-attacks';

/**
 * Plan tests 11, 15 and 26 (e2e/attacks/README.md), and issue #13's sandbox scenario, through
 * the running stack: public-api and a build-runner, as root (every build script boxed under a
 * uid of its own) or, with `runnerUser`, as an unprivileged user (boxes run as that user, kept
 * apart by namespaces alone); docs/adr/0004-script-sandbox.md. A trusted build holds a canary
 * in its checkout, HOME, /tmp and a cache and waits; beside it on the same runner, a hostile
 * build script tries the data folders, /proc of the runner and of the trusted build, the
 * trusted build's files, the Docker socket, namespaces and mounts, public-api with a guessed
 * or its own token, a claim through its Script API, and the main branch's cache; each attempt
 * prints what it got. Every attempt must run and be denied, and no secret may surface anywhere.
 * One call per test file: it registers the file's hooks and tests.
 */
export function describeTheBox(runnerUser?: RunnerUser): void {
  const runnerKind = runnerUser
    ? `under a runner running as uid ${runnerUser.uid}`
    : 'under a root runner';
  let attack: AttackStack;
  /** Secrets of the stack that no build may ever print, besides the canaries the scan looks for. */
  let stackSecrets: Record<string, string>;

  beforeAll(async () => {
    attack = await AttackStack.start({ runner: true, ...(runnerUser ? { runnerUser } : {}) });
    const runnerEnv = await environOf(runnerPid());
    stackSecrets = {
      adminToken: (
        await readFile(join(attack.stack.root, 'public-api', 'admin-token'), 'utf8')
      ).trim(),
      runnerToken: runnerEnv.GIBBON_RUNNER_TOKEN ?? '',
      masterKey: attack.masterKey.toString('base64'),
    };
    expect(stackSecrets.runnerToken).not.toBe('');
  }, 180_000);

  afterAll(async () => {
    await attack?.close();
  });

  afterEach(async () => {
    expect(await attack.scan()).toEqual([]);
  });

  function runnerPid(): number {
    const pid = attack.stack.runners[0]?.process?.pid;
    if (!pid) throw new Error('the stack has no running build-runner');
    return pid;
  }

  async function environOf(pid: number): Promise<Record<string, string>> {
    const text = await readFile(`/proc/${pid}/environ`, 'utf8');
    return Object.fromEntries(
      text
        .split('\0')
        .filter(Boolean)
        .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
    );
  }

  /** The build's script process, seen from the host: a node process working in its checkout. */
  async function scriptPidIn(checkout: string): Promise<number> {
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => '');
      const command = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
      if (cwd === checkout && command.startsWith(process.execPath)) return Number(entry);
    }
    throw new Error(`no script process works in ${checkout}`);
  }

  interface Holder {
    readonly build: Build;
    readonly checkout: string;
    readonly home: string;
    readonly pid: number;
  }

  /** A trusted build of `branch` holding the canary, up to the moment it waits to be released. */
  async function startHolder(branch: string): Promise<Holder> {
    const canary = attack.canaries.find((candidate) => candidate.name === 'CANARY_HEX')!;
    const marker = `main-branch-cache-${randomBytes(8).toString('hex')}`;
    await attack.project.commitScript(branch, holderScript(attack.image!, canary.name, marker));
    const build = await attack.project.trigger(branch);
    const ready = await waitUntil(
      'the trusted build to hold its canary',
      async () => {
        const log = await attack.project.jobLog(build.number, 'hold').catch(() => '');
        return /^READY checkout=(\S+) home=(\S+)$/m.exec(log) ?? undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    const checkout = ready[1]!;
    return { build, checkout, home: ready[2]!, pid: await scriptPidIn(checkout) };
  }

  /** Lets the holder end; called whether or not the attacker's build went as the test wants. */
  function letGo(holder: Holder): Promise<void> {
    return writeFile(join(holder.checkout, 'release'), '');
  }

  /** The holder's build once it has ended (after `letGo`). */
  function release(holder: Holder): Promise<Build> {
    return waitForEnd(attack.project, holder.build.number, 60_000);
  }

  function targetsBeside(holder: Holder): BoxTargets {
    return {
      apiData: join(attack.stack.root, 'public-api'),
      runnerData: join(attack.stack.root, `runner-${attack.stack.runners[0]!.name}`),
      runnerWork: holder.checkout.slice(0, holder.checkout.indexOf('/build-')),
      runnerPid: runnerPid(),
      trustedPid: holder.pid,
      trustedCheckout: holder.checkout,
      trustedHome: holder.home,
      apiUrl: attack.url,
      image: attack.image!,
    };
  }

  /** Every log of a build, joined: what a user (or an attacker reading its own build) sees. */
  async function logsOf(build: Build): Promise<string> {
    const ids = ['_script', ...build.jobs.map((job) => job.id)];
    const logs = await Promise.all(ids.map((id) => attack.project.jobLog(build.number, id)));
    return logs.join('\n');
  }

  function expectNoStackSecret(texts: Record<string, string>): void {
    for (const [where, text] of Object.entries(texts)) {
      for (const [name, secret] of Object.entries(stackSecrets)) {
        expect({ where, name, found: text.includes(secret) }).toEqual({
          where,
          name,
          found: false,
        });
      }
    }
  }

  describe(`B and E. the build script in its box, ${runnerKind}`, () => {
    test("B11 B15 E26 a fork's pull request beside a running trusted build gets nothing of the machine, the runner or that build", async () => {
      await attack.withLogs(async () => {
        const holder = await startHolder('main');
        const sha = await attack.project.commitScript(
          'patch-1',
          attackerScript(targetsBeside(holder)),
        );
        const delivered = await attack.project.deliverForkPullRequest(11, sha);
        expect(delivered.status).toBe(200);
        const fork = await waitForEnd(
          attack.project,
          delivered.body.build!.number,
          180_000,
        ).finally(() => letGo(holder));
        const logs = await logsOf(fork);
        expect({ trusted: fork.trusted, status: fork.status }).toEqual({
          trusted: false,
          status: 'success',
        });

        const attempts = attemptsIn(logs);
        expect(Object.keys(attempts).sort()).toEqual([...BOX_ATTEMPTS].sort());
        const got = Object.entries(attempts).filter(([, outcome]) => !outcome.startsWith('denied'));
        expect(got).toEqual([]);
        // No network at all for a fork: public-api is not even reachable.
        expect(attempts['api:guessed-admin-token']).not.toMatch(/^denied \d{3}$/);

        const held = await release(holder);
        expect(held.status).toBe('success');
        const heldLogs = await logsOf(held);
        expect(heldLogs).toContain('released');
        expectNoStackSecret({ fork: logs, trusted: heldLogs, forkBuild: JSON.stringify(fork) });
        expect(await attack.scan({ fork: logs, forkBuild: JSON.stringify(fork) })).toEqual([]);
      });
    });

    test('B15 E26 the same script as a trusted build beside another: network, but no machine, runner or neighbour', async () => {
      await attack.withLogs(async () => {
        const holder = await startHolder('holder-2');
        await attack.project.commitScript('hostile', attackerScript(targetsBeside(holder)));
        const hostile = await attack.project.trigger('hostile');
        const ended = await waitForEnd(attack.project, hostile.number, 180_000).finally(() =>
          letGo(holder),
        );
        const logs = await logsOf(ended);
        expect({ trusted: ended.trusted, status: ended.status }).toEqual({
          trusted: true,
          status: 'success',
        });

        const attempts = attemptsIn(logs);
        expect(Object.keys(attempts).sort()).toEqual([...BOX_ATTEMPTS].sort());
        // Trusted builds of a repository share its caches by design; everything else stays shut.
        const got = Object.entries(attempts).filter(
          ([name, outcome]) => name !== 'cache:main-branch' && !outcome.startsWith('denied'),
        );
        expect(got).toEqual([]);
        // It shares the machine's network, so public-api answers, and refuses both tokens.
        expect(attempts['api:guessed-admin-token']).toBe('denied 401');
        expect(attempts['api:claim-with-script-token']).toBe('denied 401');
        // The holder's cache restores here, so the fork's denial above is the trust split's doing.
        expect(attempts['cache:main-branch']).toBe('ok');

        const held = await release(holder);
        expect(held.status).toBe('success');
        expectNoStackSecret({ hostile: logs, trusted: await logsOf(held) });
        expect(await attack.scan({ hostile: logs })).toEqual([]);
      });
    });
  });
}
