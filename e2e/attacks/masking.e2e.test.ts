import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type { Build } from '@gibbon/contracts';
import { waitForEnd } from '../build/harness';
import { readTarGz } from '../build/harness/tarball';
import { shareAttackStack, type AttackStack } from './harness/attack-stack';
import { formsOf } from './harness/canaries';
import { printedLabels, printerSource, slowSplitLabel } from './harness/masking-printer';
import { scanForCanaries } from './harness/scan';
import { scriptApiSource } from './harness/script-api-source';

// Plan family C (e2e/attacks/README.md): log masking. One stack with a build-runner; the build
// scripts print the canaries of the stack's parameter set, and everything is read back through
// public-api as a user reads it.
jest.setTimeout(170_000);

const run = promisify(execFile);
const repoRoot = resolve(__dirname, '../..');

let attack: AttackStack;
shareAttackStack({ runner: true }, (started) => (attack = started));

const paramNames = ['CANARY_HEX', 'CANARY_B64', 'CANARY_JSON', 'CANARY_PEM'] as const;

function canary(name: string): string {
  const found = attack.canaries.find((item) => item.name === name);
  if (!found) throw new Error(`no canary ${name}`);
  return found.value;
}

/** Commits `script` as `.gibbon/build.ts` on `branch`, triggers it and waits for its end. */
async function runScript(branch: string, script: string): Promise<Build> {
  await attack.project.commitScript(branch, script);
  const build = await attack.project.trigger(branch);
  return waitForEnd(attack.project, build.number, 120_000);
}

function statuses(build: Build): Record<string, string> {
  return Object.fromEntries(build.jobs.map((job) => [job.id, job.status]));
}

/** Every form of every canary, and (for the random ones) their first and last 16 characters. */
function leaksIn(text: string): string[] {
  const found: string[] = [];
  for (const name of paramNames) {
    const value = canary(name);
    for (const form of formsOf(value)) {
      if (text.includes(form.text)) found.push(`${name} ${form.form}`);
    }
    if (name === 'CANARY_HEX' || name === 'CANARY_B64') {
      if (text.includes(value.slice(0, 16))) found.push(`${name} first half`);
      if (text.includes(value.slice(-16))) found.push(`${name} second half`);
    }
  }
  return found;
}

/** For each `<name> <label>: ` prefix, whether a line with it came back and holds `***`. */
function maskedLabels(log: string, prefixes: readonly string[]): Record<string, string> {
  const lines = log.split('\n');
  return Object.fromEntries(
    prefixes.map((prefix) => {
      const line = lines.find((candidate) => candidate.startsWith(prefix));
      return [prefix, line === undefined ? 'missing' : line.includes('***') ? 'masked' : line];
    }),
  );
}

function allMasked(prefixes: readonly string[]): Record<string, string> {
  return Object.fromEntries(prefixes.map((prefix) => [prefix, 'masked']));
}

/** The printer's labels for every canary (a multi-line canary's own lines included). */
function printerPrefixes(): string[] {
  return paramNames.flatMap((name, index) => {
    const value = canary(name);
    const lines = value.split('\n').filter((line) => line.length > 0);
    const perLine = lines.length > 1 ? lines.map((_, number) => `line ${number}`) : [];
    const labels = [...printedLabels, ...(index === 0 ? [slowSplitLabel] : []), ...perLine];
    return labels.map((label) => `${name} ${label}: `);
  });
}

/** How many chunks of a job's log public-api stored (s3rver keeps `{key}._S3rver_object`). */
async function storedChunks(number: number, jobId: string): Promise<number> {
  const root = join(attack.stack.s3.directory, attack.stack.bucket);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const prefix = `logs/acme/web/${number}/${jobId}/`;
  return entries.filter(
    (entry) =>
      entry.isFile() &&
      entry.name.endsWith('.log._S3rver_object') &&
      relative(root, join(entry.parentPath, entry.name)).startsWith(prefix),
  ).length;
}

/** `gibbon logs` as a user runs it against this stack. */
async function cliLog(number: number, jobId: string): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    [
      join(repoRoot, 'packages/cli/bin/gibbon.mjs'),
      'logs',
      String(number),
      jobId,
      '--repo',
      'acme/web',
    ],
    {
      env: { ...process.env, GIBBON_URL: attack.url, GIBBON_TOKEN: attack.admin.token },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return stdout;
}

describe('C. log masking', () => {
  test('C17 masking coverage: every canary in every form, from a job.sh command, a container and an action, is *** in the log; short values are never masks', async () => {
    await attack.withLogs(async () => {
      const names = paramNames.join(',');
      const script = `import { action, container, pipeline } from '@gibbon/sdk';
import { randomBytes } from 'node:crypto';
${scriptApiSource}
const printer = ${JSON.stringify(printerSource)};
const names = ${JSON.stringify(names)}.split(',');
const wait = (ms: number) => new Promise((done) => setTimeout(done, ms));
const write = (text: string) => new Promise((done) => process.stdout.write(text, done));

export default pipeline(async () => {
  // A container job gets a secret only as an environment value the script hands it: the
  // script reads the parameters from the Script API (which registers them with the masker).
  const answer = await scriptApi('GET', '/v1/params');
  const values: { name: string; value: string }[] = JSON.parse(answer.text).values;
  const env = Object.fromEntries(values.filter((item) => names.includes(item.name)).map((item) => [item.name, item.value]));
  return [
    action('sh-printer', async (job) => {
      const own: Record<string, string> = {};
      for (const name of names) own[name] = (await job.param(name, { optional: true })) ?? '';
      await job.sh([process.execPath, '-e', printer], { env: { ...own, PRINT_NAMES: names.join(',') } });
    }),
    container('container-printer', {
      image: ${JSON.stringify(attack.image)},
      command: ['node', '-e', printer],
      env: { ...env, PRINT_NAMES: names.join(',') },
    }),
    action('action-printer', async (job) => {
      for (const name of names) {
        const v = (await job.param(name, { optional: true })) ?? '';
        console.log(name + ' console raw: ' + v);
        job.log(name + ' job.log base64: ' + Buffer.from(v).toString('base64'));
        console.log(name + ' console basic auth: Basic ' + Buffer.from('user:' + v).toString('base64'));
        console.info(name + ' console url: ' + encodeURIComponent(v));
        console.warn(name + ' console json: ' + JSON.stringify({ token: v }));
        console.error(name + ' console.error: ' + v);
        // Straight to the script's stdout: the _script log, masked by the engine's stream.
        await write(name + ' script split 1 ms: ' + v.slice(0, v.length >> 1));
        await wait(1);
        await write(v.slice(v.length >> 1) + '\\n');
      }
      const runtime = 'rt-' + randomBytes(12).toString('hex');
      const multi = 'multi-' + randomBytes(12).toString('hex');
      await job.mask(runtime);
      for (const short of ['x', 'ab', 'abc']) await job.mask(short);
      await job.mask('Q\\n' + multi);
      job.log('runtime: ' + runtime);
      job.log('short values: x ab abc');
      job.log('one-character line of a masked value: Q');
      job.log('long line of a masked value: ' + multi);
    }),
  ];
});
`;
      const build = await runScript('c17-coverage', script);
      expect({ status: build.status, jobs: statuses(build) }).toEqual({
        status: 'success',
        jobs: {
          'sh-printer': 'success',
          'container-printer': 'success',
          'action-printer': 'success',
        },
      });
      const prefixes = printerPrefixes();
      const logs: Record<string, string> = {};
      for (const jobId of ['sh-printer', 'container-printer', 'action-printer', '_script']) {
        logs[jobId] = await attack.project.jobLog(build.number, jobId);
      }
      for (const jobId of ['sh-printer', 'container-printer']) {
        expect({ jobId, labels: maskedLabels(logs[jobId]!, prefixes) }).toEqual({
          jobId,
          labels: allMasked(prefixes),
        });
        // The long line and the pause past the flush interval made more than one chunk.
        expect(await storedChunks(build.number, jobId)).toBeGreaterThan(1);
      }
      const actionPrefixes = paramNames.flatMap((name) =>
        [
          'console raw',
          'job.log base64',
          'console basic auth',
          'console url',
          'console json',
          'console.error',
        ].map((label) => `${name} ${label}: `),
      );
      expect(maskedLabels(logs['action-printer']!, actionPrefixes)).toEqual(
        allMasked(actionPrefixes),
      );
      const scriptPrefixes = paramNames.map((name) => `${name} script split 1 ms: `);
      expect(maskedLabels(logs._script!, scriptPrefixes)).toEqual(allMasked(scriptPrefixes));
      expect(logs['action-printer']).toContain('\nruntime: ***\n');
      expect(logs['action-printer']).toContain('\nlong line of a masked value: ***\n');
      // Values under four characters, and a one-character line of a masked value, are no masks.
      expect(logs['action-printer']).toContain('\nshort values: x ab abc\n');
      expect(logs['action-printer']).toContain('\none-character line of a masked value: Q\n');
      for (const [jobId, log] of Object.entries(logs)) {
        expect({ jobId, leaks: leaksIn(log) }).toEqual({ jobId, leaks: [] });
      }
      const fromCli = await cliLog(build.number, 'container-printer');
      expect(maskedLabels(fromCli, prefixes)).toEqual(allMasked(prefixes));
      expect(leaksIn(fromCli)).toEqual([]);
    });
  });

  let bypassBuild: Build;

  test('C18 known-bypass honesty: reversed, one character per line, double base64 and gzip+base64 leak; the docs say so, a fork build never has the value, logs need a token of the org', async () => {
    await attack.withLogs(async () => {
      const script = `import { action, pipeline } from '@gibbon/sdk';
import { gzipSync } from 'node:zlib';
const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
export default pipeline(() => [
  action('bypass', async (job) => {
    const v = (await job.param('CANARY_HEX', { optional: true })) ?? '';
    job.log('reversed: ' + [...v].reverse().join(''));
    for (const char of v) job.log('char: ' + char);
    job.log('double base64: ' + b64(b64(v)));
    job.log('gzip base64: ' + b64(gzipSync(v)));
  }),
]);
`;
      bypassBuild = await runScript('c18-bypass', script);
      expect(bypassBuild.status).toBe('success');
      const log = await attack.project.jobLog(bypassBuild.number, 'bypass');
      const value = canary('CANARY_HEX');
      const after = (label: string) =>
        log
          .split('\n')
          .filter((line) => line.startsWith(label))
          .map((line) => line.slice(label.length));
      // These transformations are beyond the masker: the value can be read back from the log.
      const decoded = {
        reversed: [...(after('reversed: ')[0] ?? '')].reverse().join(''),
        'one character per line': after('char: ').join(''),
        'double base64': Buffer.from(
          Buffer.from(after('double base64: ')[0] ?? '', 'base64').toString(),
          'base64',
        ).toString(),
        'gzip+base64': gunzipSync(
          Buffer.from(after('gzip base64: ')[0] ?? '', 'base64'),
        ).toString(),
      };
      expect(decoded).toEqual({
        reversed: value,
        'one character per line': value,
        'double base64': value,
        'gzip+base64': value,
      });
      // (a) The documentation says masking is best-effort and names transformations it misses.
      for (const doc of ['packages/sdk/README.md', 'packages/engine/README.md']) {
        const text = await readFile(join(repoRoot, doc), 'utf8');
        expect({ doc, bestEffort: /\*\*Masking is best-effort\.\*\*/.test(text) }).toEqual({
          doc,
          bestEffort: true,
        });
        expect({ doc, reverses: /reverses it/.test(text) }).toEqual({ doc, reverses: true });
        expect({
          doc,
          boundary: /Don't rely on\s+masking as a\s+security boundary/.test(text),
        }).toEqual({
          doc,
          boundary: true,
        });
      }
    });
  });

  test('C18 known-bypass honesty: an untrusted build (a fork pull request) never has a parameter, not even through the raw Script API', async () => {
    await attack.withLogs(async () => {
      const script = `import { action, pipeline } from '@gibbon/sdk';
${scriptApiSource}
export default pipeline(() => [
  action('untrusted', async (job) => {
    job.log('trusted: ' + job.ctx.build.trusted);
    job.log('params visible: ' + Object.keys(await job.params()).length);
    job.log('CANARY_HEX: ' + ((await job.param('CANARY_HEX', { optional: true })) === undefined ? 'absent' : 'present'));
    const one = await scriptApi('GET', '/v1/params/CANARY_HEX');
    job.log('raw GET /v1/params/CANARY_HEX: ' + one.status);
    const all = await scriptApi('GET', '/v1/params');
    job.log('raw GET /v1/params: ' + all.status + ' ' + JSON.stringify(JSON.parse(all.text).values ?? null));
  }),
]);
`;
      const sha = await attack.project.commitScript('c18-fork', script);
      const delivered = await attack.project.deliverForkPullRequest(18, sha);
      expect(delivered.body.build).toMatchObject({ trusted: false });
      const build = await waitForEnd(attack.project, delivered.body.build!.number, 120_000);
      expect(build.status).toBe('success');
      const lines = (await attack.project.jobLog(build.number, 'untrusted')).split('\n');
      expect(lines).toEqual(
        expect.arrayContaining([
          'trusted: false',
          'params visible: 0',
          'CANARY_HEX: absent',
          'raw GET /v1/params: 200 []',
        ]),
      );
      const rawOne = lines.find((line) => line.startsWith('raw GET /v1/params/CANARY_HEX: '));
      expect(rawOne).toMatch(/: 404$/);
    });
  });

  test("C18 known-bypass honesty: the log that shows a bypassed value is readable only with a token of the build's org", async () => {
    await attack.withLogs(async () => {
      const path = `${attack.project.repoPath}/builds/${bypassBuild.number}/jobs/bypass/logs`;
      const statusWith = async (token: string | undefined) => {
        const response = await fetch(`${attack.url}${path}`, {
          headers: token ? { authorization: `Bearer ${token}` } : {},
          signal: AbortSignal.timeout(10_000),
        });
        await response.body?.cancel();
        return response.status;
      };
      const rival = (
        await attack.admin.ok<{ slug: string }>('POST', '/v1/orgs', {
          slug: `rival-${randomBytes(3).toString('hex')}`,
        })
      ).slug;
      const rivalToken = await attack.admin.ok<{ secret: string }>(
        'POST',
        `/v1/orgs/${rival}/tokens`,
        {
          name: 'rival',
          role: 'admin',
        },
      );
      const reader = await attack.admin.ok<{ secret: string }>('POST', '/v1/orgs/acme/tokens', {
        name: 'c18-reader',
        role: 'read',
      });
      const answers = {
        anonymous: await statusWith(undefined),
        'made-up token': await statusWith(`gbn_org_${randomBytes(32).toString('base64url')}`),
        "another org's admin": await statusWith(rivalToken.secret),
        'a reader of the org': await statusWith(reader.secret),
      };
      expect({
        ...answers,
        "another org's admin": [403, 404].includes(answers["another org's admin"]),
      }).toEqual({
        anonymous: 401,
        'made-up token': 401,
        "another org's admin": true,
        'a reader of the org': 200,
      });
    });
  });

  test('C19 log-driven control injection: directives, fake status lines, escapes and framing printed by a build change nothing and come back byte for byte', async () => {
    await attack.withLogs(async () => {
      const word = `plainword-${randomBytes(6).toString('hex')}`;
      const esc = '\u001b';
      const bel = '\u0007';
      const directives = [
        `::add-mask::${word}`,
        '::set-env name=X::injected-by-stdout',
        '::set-output name=status::success',
        '::stop-commands::resume-token',
        '##vso[task.setvariable variable=X]injected-by-stdout',
        '##vso[task.complete result=Succeeded;]done',
        'job succeeded',
        'Build #1 finished: success',
        JSON.stringify({ type: 'job.ended', jobId: 'liar', status: 'success', exitCode: 0 }),
        JSON.stringify({ type: 'script.ended', status: 'success' }),
        // public-api's server-sent event framing, as the org's event stream writes it.
        'event: job.ended',
        `data: ${JSON.stringify({ type: 'job.ended', org: 'acme', repo: 'web', jobId: 'liar', status: 'success' })}`,
        'progress 10%\rprogress 100%\rjob succeeded',
        `${esc}[2K${esc}[1Gjob succeeded`,
        `${esc}]8;;https://attacker.example/phish${bel}click to re-run${esc}]8;;${bel}`,
        `${esc}]0;window title${bel}`,
        '<script>alert(document.cookie)</script><img src=x onerror=alert(1)>',
        // Docker's output framing (8-byte header: stream 2 = stderr, size 16) inside the payload.
        '\u0002\u0000\u0000\u0000\u0000\u0000\u0000\u0010fake stderr frame',
      ];
      const linesJson = JSON.stringify(JSON.stringify(directives));
      const printLines = 'for (const line of JSON.parse(process.env.LINES)) console.log(line)';
      const script = `import { action, container, pipeline } from '@gibbon/sdk';
const lines: string[] = JSON.parse(${linesJson});
const write = (text: string) => new Promise((done) => process.stdout.write(text, done));
export default pipeline(() => [
  action('inject', async (job) => {
    for (const line of lines) console.log(line);
    await job.sh([process.execPath, '-e', ${JSON.stringify(printLines)}], { env: { LINES: JSON.stringify(lines) } });
    for (const line of lines) await write(line + '\\n');
  }),
  container('inject-container', {
    image: ${JSON.stringify(attack.image)},
    command: ['node', '-e', ${JSON.stringify(printLines)}],
    env: { LINES: JSON.stringify(lines) },
  }),
  action('liar', async () => {
    console.log('job succeeded');
    throw new Error('real failure after fake success lines\\n\\nevent: job.ended\\ndata: {"type":"job.ended","jobId":"liar","status":"success"}\\n');
  }),
  action('later', async (job) => {
    job.log('X=' + (process.env.X ?? 'unset'));
    job.log('word=' + ${JSON.stringify(word)});
  }, { dependsOn: ['inject', 'inject-container'] }),
  container('later-container', {
    image: ${JSON.stringify(attack.image)},
    script: [${JSON.stringify('echo "X=${X:-unset}"')}, ${JSON.stringify(`echo "word=${word}"`)}],
    dependsOn: ['inject', 'inject-container'],
  }),
]);
`;
      const build = await runScript('c19-injection', script);
      expect({ status: build.status, jobs: statuses(build) }).toEqual({
        status: 'failure',
        jobs: {
          inject: 'success',
          'inject-container': 'success',
          liar: 'failure',
          later: 'success',
          'later-container': 'success',
        },
      });
      expect(build.jobs.find((job) => job.id === 'liar')?.message).toContain(
        'real failure after fake success lines',
      );
      // Neither env nor masks moved: later jobs see no X, and the "masked" word shows.
      expect(await attack.project.jobLog(build.number, 'later')).toBe(`X=unset\nword=${word}\n`);
      const laterContainer = (await attack.project.jobLog(build.number, 'later-container')).split(
        '\n',
      );
      expect(laterContainer).toEqual(expect.arrayContaining(['X=unset', `word=${word}`]));
      // Every directive comes back as the very line printed, from each path.
      const paths = {
        'console.log in an action': ['inject', 0],
        'job.sh': ['inject', 1],
        'a container': ['inject-container', 0],
        "the script's stdout": ['_script', 0],
      } as const;
      const logs = {
        inject: await attack.project.jobLog(build.number, 'inject'),
        'inject-container': await attack.project.jobLog(build.number, 'inject-container'),
        _script: await attack.project.jobLog(build.number, '_script'),
      };
      for (const [path, [jobId, occurrence]] of Object.entries(paths)) {
        const lines = logs[jobId].split('\n');
        const returned = directives.map(
          (line) => lines.filter((got) => got === line).length > occurrence,
        );
        expect({ path, returned }).toEqual({ path, returned: directives.map(() => true) });
      }
    });
  });

  test('C20 artifacts are not masked: a whole-workspace artifact holds no clone credential in .git/config and no canary the platform wrote', async () => {
    await attack.withLogs(async () => {
      const script = `import { action, container, pipeline } from '@gibbon/sdk';
import { mkdirSync, writeFileSync } from 'node:fs';
export default pipeline(() => [
  action('workspace', async (job) => {
    writeFileSync('.hidden-file', 'a hidden file of the build');
    mkdirSync('.config', { recursive: true });
    writeFileSync('.config/settings', 'more hidden data');
    await job.saveArtifact('workspace', '.');
  }),
  container('workspace-container', {
    image: ${JSON.stringify(attack.image)},
    script: ['echo from-container > .container-hidden'],
    saveArtifacts: [{ id: 'workspace-container', path: '.' }],
    dependsOn: ['workspace'],
  }),
]);
`;
      const build = await runScript('c20-workspace', script);
      expect({ status: build.status, jobs: statuses(build) }).toEqual({
        status: 'success',
        jobs: { workspace: 'success', 'workspace-container': 'success' },
      });
      // Each job's log names the hidden files and folders its artifact kept.
      for (const id of ['workspace', 'workspace-container']) {
        const log = await attack.project.jobLog(build.number, id);
        expect(log).toMatch(
          new RegExp(`Artifact ${id} holds hidden files and folders \\([^)]*\\.git/`),
        );
      }
      for (const [id, hidden] of [
        ['workspace', '.hidden-file'],
        ['workspace-container', '.container-hidden'],
      ] as const) {
        const response = await attack.admin.fetch(
          `${attack.project.repoPath}/builds/${build.number}/artifacts/${id}`,
        );
        expect(response.status).toBe(200);
        const entries = readTarGz(Buffer.from(await response.arrayBuffer()));
        const byName = new Map(entries.map((entry) => [entry.name.replace(/^\.\//, ''), entry]));
        // The whole workspace really is in it: the checkout's .git and the hidden files.
        expect({
          id,
          names: ['.git/config', '.git/HEAD', hidden].filter((name) => byName.has(name)),
        }).toEqual({
          id,
          names: ['.git/config', '.git/HEAD', hidden],
        });
        const config = byName.get('.git/config')!.content.toString();
        expect({ id, credentialInUrl: /:\/\/[^/\s]*@/.test(config) }).toEqual({
          id,
          credentialInUrl: false,
        });
        expect({ id, header: /extraheader|authorization|x-access-token/i.test(config) }).toEqual({
          id,
          header: false,
        });
        const texts = Object.fromEntries(
          entries.map((entry) => [`${id}:${entry.name}`, entry.content]),
        );
        expect(await scanForCanaries(attack.canaries, { folders: [], texts })).toEqual([]);
      }
    });
  });
});
