import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { existsSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { ensureTestImage, signGithubPayload } from '@gibbon/test-kit';
import type { Build } from '@gibbon/contracts';
import { waitForEnd, waitUntil } from '../build/harness';
import { statusesOf } from '../build/harness/commit-statuses';
import { AttackStack } from './harness/attack-stack';
import {
  rawPost,
  residentBytes,
  watchMemory,
  writeChunked,
  type RawOutcome,
} from './harness/raw-http';
import { deliver, fakeSha, pullRequestPayload, pushPayload } from './harness/webhook-deliveries';

// Plan family A (e2e/attacks/README.md): GitHub webhook ingress, attacked over loopback HTTP
// and raw sockets. One stack: public-api on Postgres behind a proxy (test A8 takes the
// database away); a build-runner joins for A9 and A10, so until then builds stay queued and
// are only counted.
jest.setTimeout(120_000);

const run = promisify(execFile);

/** GitHub gives up on a delivery after 10 s: an answer later than that is a failed delivery. */
const githubTimeoutMs = 10_000;
const MiB = 1024 * 1024;
/** public-api's body read deadline (default 10 s), shortened so the trickle test is quick. */
const bodyTimeoutSeconds = 3;

let attack: AttackStack;

beforeAll(async () => {
  attack = await AttackStack.start({
    postgres: true,
    apiEnv: { GIBBON_BODY_TIMEOUT_SECONDS: String(bodyTimeoutSeconds) },
  });
}, 120_000);

afterAll(async () => {
  await attack?.close();
});

afterEach(async () => {
  // The plan's common check: no canary in any form, anywhere, after every test.
  expect(await attack.scan()).toEqual([]);
});

async function buildsOf(sha: string): Promise<Build[]> {
  return (await attack.builds()).filter((build) => build.git.commit === sha);
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work();
  return { value, ms: Date.now() - started };
}

function push(sha = fakeSha(), options: Parameters<typeof deliver>[3] = {}) {
  return deliver(attack.webhook, 'push', pushPayload(sha), options);
}

describe('A. webhook ingress', () => {
  test('A1 signature happy path and test vector: GitHub vector; a signed push is answered in time and queues one build', async () => {
    await attack.withLogs(async () => {
      // GitHub's published vector [S1] for the signer every test below relies on; the
      // service's own verifier is unit-tested with it in services/public-api signature.test.ts.
      expect(signGithubPayload('Hello, World!', "It's a Secret to Everybody")).toBe(
        'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
      );
      const sha = fakeSha();
      const { value: answer, ms } = await timed(() => push(sha));
      expect(answer.status).toBeGreaterThanOrEqual(200);
      expect(answer.status).toBeLessThan(300);
      expect(ms).toBeLessThan(githubTimeoutMs);
      expect(answer.body).toMatchObject({ build: { status: 'queued', git: { commit: sha } } });
      expect(await buildsOf(sha)).toHaveLength(1);
    });
  });

  test('A2 bad signatures: every malformed, missing or wrong signature is a 401 with no build', async () => {
    await attack.withLogs(async () => {
      const sha = fakeSha();
      const payload = pushPayload(sha);
      const body = JSON.stringify(payload);
      const good = signGithubPayload(body, attack.webhook.secret);
      const hex = good.slice('sha256='.length);
      const flipped = `${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`;
      const cases: Record<string, Record<string, string | undefined>> = {
        'no signature header': { 'x-hub-signature-256': undefined, 'x-hub-signature': undefined },
        'only the SHA-1 X-Hub-Signature': { 'x-hub-signature-256': undefined },
        'sha256= with wrong hex (last digit changed)': {
          'x-hub-signature-256': `sha256=${flipped}`,
        },
        'sha256= with odd-length hex': { 'x-hub-signature-256': `sha256=${hex.slice(0, -1)}` },
        'sha256= with a longer digest': { 'x-hub-signature-256': `sha256=${hex}00` },
        'sha256= with uppercase wrong hex': {
          'x-hub-signature-256': `sha256=${flipped.toUpperCase()}`,
        },
        'sha256= and an empty value': { 'x-hub-signature-256': 'sha256=' },
        'sha256= with non-hex characters': { 'x-hub-signature-256': `sha256=${'z'.repeat(64)}` },
        'a different algorithm prefix': { 'x-hub-signature-256': `sha512=${hex}` },
        'the header twice': { 'x-hub-signature-256': `${good}, ${good}` },
      };
      const answers: Record<string, number> = {};
      for (const [name, headers] of Object.entries(cases)) {
        answers[name] = (await deliver(attack.webhook, 'push', payload, { headers })).status;
      }
      answers['signed with a different secret'] = (
        await deliver(attack.webhook, 'push', payload, { secret: randomBytes(32).toString('hex') })
      ).status;
      const expected = Object.fromEntries(Object.keys(answers).map((name) => [name, 401]));
      expect(answers).toEqual(expected);
      expect(await buildsOf(sha)).toHaveLength(0);
      expect((await fetch(`${attack.url}/healthz`)).status).toBe(200);
    });
  });

  test('A3 body tampering and re-serialisation: a flipped byte or pretty-printed JSON is refused', async () => {
    await attack.withLogs(async () => {
      const sha = fakeSha();
      const payload = pushPayload(sha);
      const compact = JSON.stringify(payload);
      const flippedByte = Buffer.from(compact);
      const at = compact.indexOf(sha) + 5;
      flippedByte[at] = flippedByte[at] === 0x61 ? 0x62 : 0x61;
      const bodies = {
        'one byte flipped': flippedByte,
        'pretty-printed': JSON.stringify(payload, null, 2),
        'a trailing newline': `${compact}\n`,
        'keys re-ordered': JSON.stringify(Object.fromEntries(Object.entries(payload).reverse())),
      };
      for (const [name, body] of Object.entries(bodies)) {
        const answer = await deliver(attack.webhook, 'push', payload, { body });
        expect({ name, status: answer.status }).toEqual({ name, status: 401 });
      }
      expect(await buildsOf(sha)).toHaveLength(0);
    });
  });

  test('A4 replay with the same delivery id: once, 10 sequential and 50 concurrent make exactly one build', async () => {
    await attack.withLogs(async () => {
      const sha = fakeSha();
      const deliveryId = randomUUID();
      const first = await push(sha, { deliveryId });
      expect(first.status).toBeLessThan(300);
      const number = (first.body as { build: Build }).build.number;
      const again = [await push(sha, { deliveryId })];
      for (let i = 0; i < 10; i += 1) again.push(await push(sha, { deliveryId }));
      again.push(
        ...(await Promise.all(Array.from({ length: 50 }, () => push(sha, { deliveryId })))),
      );
      for (const answer of again) {
        expect(answer.status).toBeGreaterThanOrEqual(200);
        expect(answer.status).toBeLessThan(300);
        expect((answer.body as { build: Build }).build.number).toBe(number);
      }
      expect((await buildsOf(sha)).map((build) => build.number)).toEqual([number]);
    });
  });

  test('A5 replay with a forged new X-GitHub-Delivery: the same event, repo and head make no second build', async () => {
    await attack.withLogs(async () => {
      const sha = fakeSha();
      const first = await push(sha);
      const number = (first.body as { build: Build }).build.number;
      // Headers are not signed: a captured delivery replayed under fresh UUIDs, also at once.
      const replays = await Promise.all(Array.from({ length: 10 }, () => push(sha)));
      for (const answer of replays) {
        expect(answer.status).toBeLessThan(300);
        expect((answer.body as { build: Build }).build.number).toBe(number);
      }
      expect((await buildsOf(sha)).map((build) => build.number)).toEqual([number]);
      // The same head under the other event that builds it is another trigger, not a replay:
      // what must never happen is a second build of the same (event, repo, ref, head).
      const pr = pullRequestPayload({ action: 'synchronize', number: 71, headSha: sha });
      const prFirst = await deliver(attack.webhook, 'pull_request', pr);
      const prReplay = await deliver(attack.webhook, 'pull_request', pr);
      expect((prReplay.body as { build: Build }).build.number).toBe(
        (prFirst.body as { build: Build }).build.number,
      );
      expect(await buildsOf(sha)).toHaveLength(2);
    });
  });

  describe('A6 oversized and slow bodies', () => {
    const path = () => new URL(attack.webhook.url).pathname;
    const port = () => Number(new URL(attack.url).port);
    const signedHeaders = (length: Record<string, string>) => ({
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
      ...length,
    });

    /**
     * The refusal an attacker sees: the status, or, when the server answers and hangs up while
     * the body is still coming, a reset that may swallow the status line (TCP discards what the
     * client had not read yet). Either way the service itself stays up.
     */
    function expectRefusedEarly(outcome: RawOutcome, status: number): void {
      const refused =
        outcome.status === status || (outcome.status === undefined && outcome.closedByServer);
      expect({ refused, outcome }).toMatchObject({ refused: true });
    }

    /** A legitimate signed push sent while an attack is under way still gets its 2xx in time. */
    async function legitimateHookMeanwhile(): Promise<void> {
      const sha = fakeSha();
      const { value: answer, ms } = await timed(() => push(sha));
      expect(answer.status).toBeLessThan(300);
      expect(ms).toBeLessThan(githubTimeoutMs);
    }

    test('A6 oversized and slow bodies: a 26 MB body is refused with 413 before it is read', async () => {
      await attack.withLogs(async () => {
        const size = 26 * MiB;
        const outcome = await rawPost({
          port: port(),
          path: path(),
          headers: signedHeaders({ 'content-length': String(size) }),
          timeoutMs: 30_000,
          body: async (write) => {
            const piece = Buffer.alloc(64 * 1024, 0x61);
            for (let sent = 0; sent < size; sent += piece.length) if (!(await write(piece))) return;
          },
        });
        expectRefusedEarly(outcome, 413);
        expect(outcome.bytesSent).toBeLessThan(size);
      });
    });

    test('A6 oversized and slow bodies: a 1 GB chunked stream gets 413 once 25 MB have passed, memory stays flat, others still get 2xx', async () => {
      await attack.withLogs(async () => {
        const pid = attack.stack.api.pid!;
        const before = await residentBytes(pid);
        const memory = watchMemory(pid);
        const attackOutcome = rawPost({
          port: port(),
          path: path(),
          headers: signedHeaders({ 'transfer-encoding': 'chunked' }),
          timeoutMs: 60_000,
          body: (write) => writeChunked(write, 1024 * MiB),
        });
        await legitimateHookMeanwhile();
        const outcome = await attackOutcome;
        const peak = await memory.stop();
        expectRefusedEarly(outcome, 413);
        // 25 MB, plus what sat in the socket buffers when the answer came.
        expect(outcome.bytesSent).toBeLessThan(40 * MiB);
        expect(peak - before).toBeLessThan(50 * MiB);
      });
    });

    test('A6 oversized and slow bodies: a gzip bomb is refused (413 or 415) without inflating it in memory', async () => {
      await attack.withLogs(async () => {
        const pid = attack.stack.api.pid!;
        const bomb = gzipSync(Buffer.alloc(512 * MiB), { level: 9 });
        const before = await residentBytes(pid);
        const memory = watchMemory(pid);
        const outcome = await rawPost({
          port: port(),
          path: path(),
          headers: signedHeaders({
            'content-encoding': 'gzip',
            'content-length': String(bomb.length),
          }),
          timeoutMs: 30_000,
          body: async (write) => {
            await write(bomb);
          },
        });
        const peak = await memory.stop();
        expect([413, 415]).toContain(outcome.status);
        expect(peak - before).toBeLessThan(50 * MiB);
      });
    });

    test('A6 oversized and slow bodies: a 1 byte/s trickle is cut off (408 or closed) after the read deadline', async () => {
      await attack.withLogs(async () => {
        // The deadline set above (GIBBON_BODY_TIMEOUT_SECONDS); the margin covers a loaded machine.
        const deadlineMs = bodyTimeoutSeconds * 1000;
        const trickle = rawPost({
          port: port(),
          path: path(),
          headers: signedHeaders({ 'content-length': '4096' }),
          timeoutMs: deadlineMs + 15_000,
          body: async (write) => {
            for (let i = 0; i < 4096; i += 1) {
              if (!(await write('a'))) return;
              await new Promise((done) => setTimeout(done, 1000));
            }
          },
        });
        await legitimateHookMeanwhile();
        const outcome = await trickle;
        const cutOff =
          outcome.status === 408 || (outcome.status === undefined && outcome.closedByServer);
        expect({ cutOff, status: outcome.status, afterMs: outcome.elapsedMs }).toMatchObject({
          cutOff: true,
        });
        expect(outcome.elapsedMs).toBeLessThan(deadlineMs + 15_000);
      });
    }, 60_000);
  });

  test('A7 junk and unknown events: deterministic 2xx-ignore or 4xx, no crash, no build, repository unchanged', async () => {
    await attack.withLogs(async () => {
      const repoBefore = await attack.admin.ok('GET', attack.project.repoPath);
      const buildsBefore = (await attack.builds()).length;
      const sha = fakeSha();
      const pushBody = pushPayload(sha);
      const pr = (action: string) => pullRequestPayload({ action, number: 90, headSha: sha });
      const cases: {
        name: string;
        event: string;
        payload: unknown;
        headers?: Record<string, string>;
      }[] = [
        { name: 'malformed JSON', event: 'push', payload: '{"ref": "refs/heads/main", ' },
        { name: 'JSON that is an array', event: 'push', payload: '[1,2,3]' },
        { name: 'JSON null', event: 'push', payload: 'null' },
        {
          name: 'form-encoded body (the other GitHub content type)',
          event: 'push',
          payload: `payload=${encodeURIComponent(JSON.stringify(pushBody))}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
        { name: 'ping', event: 'ping', payload: { zen: 'Keep it logically awesome.', hook_id: 1 } },
        { name: 'unknown event', event: 'gibbon_takeover', payload: pushBody },
        { name: 'event name with shell characters', event: 'push;id', payload: pushBody },
        { name: 'pull_request closed', event: 'pull_request', payload: pr('closed') },
        { name: 'pull_request unknown action', event: 'pull_request', payload: pr('$(id)') },
        {
          name: 'push without repository',
          event: 'push',
          payload: { ...pushBody, repository: undefined },
        },
        {
          name: 'push with repository null',
          event: 'push',
          payload: { ...pushBody, repository: null },
        },
        { name: 'push with ref null', event: 'push', payload: { ...pushBody, ref: null } },
        { name: 'push with after null', event: 'push', payload: { ...pushBody, after: null } },
        { name: 'push with a number as ref', event: 'push', payload: { ...pushBody, ref: 42 } },
        {
          name: 'push for another repository (takeover attempt)',
          event: 'push',
          payload: {
            ...pushBody,
            repository: {
              id: 1,
              full_name: 'attacker/repo',
              clone_url: 'http://127.0.0.1:1/evil.git',
            },
          },
        },
        {
          name: 'pull_request with head null',
          event: 'pull_request',
          payload: { ...pr('opened'), pull_request: { number: 90, head: null, base: null } },
        },
        {
          name: 'pull_request without pull_request',
          event: 'pull_request',
          payload: { action: 'opened', number: 90, repository: pushBody.repository },
        },
      ];
      const outcomes: Record<string, string> = {};
      for (const { name, event, payload, headers } of cases) {
        const options = { headers };
        const first = await deliver(attack.webhook, event, payload, options);
        const second = await deliver(attack.webhook, event, payload, options);
        const kind = (status: number) =>
          status === 200 || status === 202
            ? 'ignored'
            : status >= 400 && status < 500
              ? '4xx'
              : `HTTP ${status}`;
        outcomes[name] =
          first.status === second.status
            ? kind(first.status)
            : `${first.status} then ${second.status}`;
        if (first.status < 300) {
          const body = first.body as { ignored?: boolean; build?: unknown };
          // A 2xx may only ignore: `ignored: true`, or ping's `build: null`.
          expect({ name, ignoredOrPing: body.ignored === true || body.build === null }).toEqual({
            name,
            ignoredOrPing: true,
          });
        }
      }
      for (const [name, outcome] of Object.entries(outcomes)) {
        expect({
          name,
          deterministic: outcome === 'ignored' || outcome === '4xx',
          outcome,
        }).toEqual({
          name,
          deterministic: true,
          outcome,
        });
      }
      expect((await attack.builds()).length).toBe(buildsBefore);
      expect(await attack.admin.ok('GET', attack.project.repoPath)).toEqual(repoBefore);
      expect((await fetch(`${attack.url}/healthz`)).status).toBe(200);
    });
  });

  test('A8 durable-before-ack: with the database gone a hook gets a 5xx within 10 s, never a 2xx; redelivered later it builds once', async () => {
    await attack.withLogs(async () => {
      const database = attack.database!;
      const sha = fakeSha();
      const deliveryId = randomUUID();
      await database.proxy.refuse();
      let during;
      try {
        during = await timed(() => push(sha, { deliveryId }));
      } finally {
        await database.proxy.restore();
      }
      expect(during.value.status).toBeGreaterThanOrEqual(500);
      expect(during.ms).toBeLessThan(githubTimeoutMs);
      // GitHub redelivers with the same delivery id; public-api must have kept nothing of it.
      const redelivered = await waitUntil(
        'public-api to take deliveries again after the database came back',
        async () => {
          const answer = await push(sha, { deliveryId });
          return answer.status < 300 ? answer : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 500 },
      );
      const again = await push(sha, { deliveryId });
      expect((again.body as { build: Build }).build.number).toBe(
        (redelivered.body as { build: Build }).build.number,
      );
      expect(await buildsOf(sha)).toHaveLength(1);
    });
  });

  describe('with a build-runner', () => {
    beforeAll(async () => {
      await attack.stack.addRunner('ingress');
    }, 90_000);

    test('A9 out-of-order deliveries: synchronize for head B, then the older head A; A never overwrites B', async () => {
      await attack.withLogs(async () => {
        const script = (label: string) => `import { action, pipeline } from '@gibbon/sdk';
export default pipeline(() => [action('report', async (job) => { job.log(${JSON.stringify(label)}); })]);
`;
        const git = attack.project.git;
        const shaA = await git.commit(
          { '.gibbon/build.ts': script('head A') },
          { message: 'A', branch: 'pr-9' },
        );
        const shaB = await git.commit(
          { '.gibbon/build.ts': script('head B') },
          { message: 'B', branch: 'pr-9' },
        );
        // GitHub keeps refs/pull/9/head at the newest head: B.
        await run('git', ['--git-dir', git.directory, 'update-ref', 'refs/pull/9/head', shaB]);
        const sync = (headSha: string) =>
          deliver(
            attack.webhook,
            'pull_request',
            pullRequestPayload({ action: 'synchronize', number: 9, headSha, headRef: 'pr-9' }),
          );
        const answerB = await sync(shaB);
        const answerA = await sync(shaA);
        const buildB = (answerB.body as { build: Build }).build;
        const buildA = (answerA.body as { build: Build }).build;
        expect(buildB.git.commit).toBe(shaB);
        expect(buildA.git.commit).toBe(shaA);
        const endedB = await waitForEnd(attack.project, buildB.number);
        const endedA = await waitForEnd(attack.project, buildA.number);
        expect(endedB).toMatchObject({ status: 'success', git: { commit: shaB } });
        expect(endedA.git.commit).toBe(shaA);
        expect(await attack.project.jobLog(buildB.number, 'report')).toContain('head B');
        const final = (sha: string) =>
          waitUntil(
            `a final status for ${sha}`,
            () => {
              const statuses = statusesOf(attack.github.requests, sha);
              return Promise.resolve(
                statuses.some((s) => s.state !== 'pending') ? statuses : undefined,
              );
            },
            { timeoutMs: 15_000 },
          );
        await final(shaA);
        await final(shaB);
        // Every status on B's head links to B's build: A's result lands on A's commit only.
        const targets = attack.github.requests
          .filter((request) => request.path.endsWith(`/statuses/${shaB}`))
          .map((request) => String((request.body as { target_url?: string }).target_url));
        expect(targets.length).toBeGreaterThan(0);
        for (const target of targets)
          expect(target).toMatch(new RegExp(`/builds/${buildB.number}$`));
        expect(statusesOf(attack.github.requests, shaB).at(-1)?.state).toBe('success');
        // The later delivery of A did not cancel or replace B.
        expect((await attack.project.build(buildB.number)).status).toBe('success');
      });
    }, 120_000);

    test('A10 hostile strings from the payload: kept byte for byte, never run by a shell', async () => {
      await attack.withLogs(async () => {
        const marker = `/tmp/gibbon-a10-${randomBytes(4).toString('hex')}`;
        const branch = `a10$(touch\${IFS}${marker}-1)\`touch\${IFS}${marker}-2\`;touch\${IFS}${marker}-3`;
        const message = [
          `fix: $(touch ${marker}-4) \`touch ${marker}-5\` ;touch ${marker}-6`,
          '::set-env name=NODE_OPTIONS::--require=/tmp/pwn.js',
          '::add-mask::nothing',
          '\u001b[31mred\u001b[0m \u001b]8;;http://127.0.0.1:1/\u0007link\u001b]8;;\u0007 \u202eRTL\u202c',
          'x'.repeat(4096),
        ].join('\n');
        const image = await ensureTestImage();
        const script = `import { action, container, pipeline } from '@gibbon/sdk';
export default pipeline((ctx) => [
  action('context', async (job) => {
    job.log('branch ' + JSON.stringify(ctx.git.branch));
    job.log('message ' + JSON.stringify(ctx.git.message));
    await job.sh(['sh', '-c', 'printf "env-branch=%s\\\\n" "$B"'], { env: { B: ctx.git.branch ?? '' } });
  }),
  container('in-container', {
    image: ${JSON.stringify(image)},
    env: { GIBBON_BRANCH: ctx.git.branch ?? '' },
    script: ['printf "GIBBON_BRANCH=%s\\n" "$GIBBON_BRANCH"', 'if ls ${marker}-* >/dev/null 2>&1; then echo marker-found; else echo no-marker; fi'],
  }),
]);
`;
        const sha = await attack.project.git.commit(
          { '.gibbon/build.ts': script },
          { message, branch },
        );
        const payload = pushPayload(sha, branch, `${message}\u0000after-nul`);
        const answer = await deliver(attack.webhook, 'push', payload);
        expect(answer.status).toBeLessThan(300);
        const number = (answer.body as { build: Build }).build.number;
        const queued = await attack.project.build(number);
        expect(queued.git.branch).toBe(branch);
        expect(queued.git.ref).toBe(`refs/heads/${branch}`);
        const ended = await waitForEnd(attack.project, number, 90_000);
        expect(ended.status).toBe('success');
        const log = await attack.project.jobLog(number, 'context');
        expect(log).toContain(`branch ${JSON.stringify(branch)}`);
        expect(log).toContain(`env-branch=${branch}\n`);
        const containerLog = await attack.project.jobLog(number, 'in-container');
        expect(containerLog).toContain(`GIBBON_BRANCH=${branch}\n`);
        expect(containerLog).toContain('no-marker');
        // Nothing on this machine ran any of the commands (public-api, runner, git, script).
        for (let i = 1; i <= 6; i += 1) expect(existsSync(`${marker}-${i}`)).toBe(false);
        // Commit statuses reached GitHub as JSON with the build's link, not a shell.
        expect(statusesOf(attack.github.requests, sha).length).toBeGreaterThan(0);
      });
    }, 120_000);
  });
});
