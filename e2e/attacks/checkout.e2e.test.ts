import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Build } from '@gibbon/contracts';
import { waitForEnd } from '../build/harness';
import { readTarGz } from '../build/harness/tarball';
import { shareAttackStack, type AttackStack } from './harness/attack-stack';
import {
  commitTree,
  symlinkEntry,
  writeBlob,
  writeTree,
  type TreeEntry,
} from './harness/git-objects';

// Plan tests 27 and 28 (e2e/attacks/README.md): a repository whose tree holds links out of the
// checkout and entries git itself would never write. The runner checks the commit out, finds
// and compiles its build file and saves its artifacts and caches outside the box, as root
// here (as `pnpm start` runs as root in CI): none of that may read or write a file of the
// machine. The "machine's files" are a folder outside the stack holding a canary, so the
// after-test scan finds it wherever it surfaces (logs, artifacts, caches, data folders).
jest.setTimeout(200_000);

let attack: AttackStack;
/** A folder of the machine the runner can read, holding a canary; no build may reach it. */
let machine: string;
let secret: string;
let gitDir: string;

shareAttackStack({ runner: true }, (started) => (attack = started));

beforeAll(async () => {
  gitDir = attack.project.git.directory;
  secret = attack.canaries[0]!.value;
  machine = await mkdtemp(join(tmpdir(), 'gibbon-e2e-machine-'));
  await mkdir(join(machine, '.gibbon'));
  await writeFile(join(machine, 'secret.json'), JSON.stringify({ secret }));
  await writeFile(join(machine, 'secret.txt'), secret);
  // A build file the repository does not hold; `.gibbon -> <machine>/.gibbon` would run it.
  await writeFile(
    join(machine, '.gibbon', 'build.ts'),
    `console.log(${JSON.stringify(secret)});\n`,
  );
});

afterAll(async () => {
  if (machine) await rm(machine, { recursive: true, force: true });
});

afterEach(async () => {
  expect((await readdir(machine)).sort()).toEqual(['.gibbon', 'secret.json', 'secret.txt']);
});

/** A tree built from raw entries plus, unless `buildFile` is false, `.gibbon/build.ts`. */
async function tree(entries: readonly TreeEntry[], script?: string): Promise<string> {
  const all = [...entries];
  if (script !== undefined) {
    const buildFile = await writeBlob(gitDir, script);
    const gibbon = await writeTree(gitDir, [{ mode: '100644', name: 'build.ts', oid: buildFile }]);
    all.push({ mode: '40000', name: '.gibbon', oid: gibbon });
  }
  return writeTree(gitDir, all);
}

async function file(name: string, content: string): Promise<TreeEntry> {
  return { mode: '100644', name, oid: await writeBlob(gitDir, content) };
}

async function link(name: string, target: string): Promise<TreeEntry> {
  return symlinkEntry(name, await writeBlob(gitDir, target));
}

async function folder(name: string, entries: readonly TreeEntry[]): Promise<TreeEntry> {
  return { mode: '40000', name, oid: await writeTree(gitDir, entries) };
}

/** Commits `root` (a tree id) as `branch`, triggers a build of it and waits for its end. */
async function build(branch: string, root: string): Promise<Build> {
  await commitTree(gitDir, root, branch);
  const queued = await attack.project.trigger(branch);
  return waitForEnd(attack.project, queued.number, 150_000);
}

async function logsOf(ended: Build): Promise<string> {
  const ids = ['_script', ...ended.jobs.map((job) => job.id)];
  const logs = await Promise.all(ids.map((id) => attack.project.jobLog(ended.number, id)));
  return logs.join('\n');
}

/** The runner's environment values worth stealing (its token, its data folder, keys). */
async function runnerSecrets(): Promise<string[]> {
  const pid = attack.stack.runners[0]?.process?.pid;
  if (!pid) throw new Error('the stack has no running build-runner');
  const environ = await readFile(`/proc/${pid}/environ`, 'utf8');
  return environ
    .split('\0')
    .filter((entry) => entry.startsWith('GIBBON_'))
    .map((entry) => entry.slice(entry.indexOf('=') + 1))
    .filter((value) => value.length >= 16);
}

function expectNone(texts: Record<string, string>, secrets: readonly string[]): void {
  for (const [where, text] of Object.entries(texts)) {
    for (const value of secrets) {
      expect({ where, found: text.includes(value) && value }).toEqual({ where, found: false });
    }
  }
}

async function artifact(number: number, id: string): Promise<ReturnType<typeof readTarGz>> {
  const answer = await attack.admin.fetch(
    `${attack.project.repoPath}/builds/${number}/artifacts/${id}`,
  );
  expect({ id, status: answer.status }).toEqual({ id, status: 200 });
  return readTarGz(Buffer.from(await answer.arrayBuffer()));
}

describe('E. the checkout and what the runner reads of it', () => {
  test('E27 symlink escape: a build file that is a link out of the checkout is refused before any of it runs', async () => {
    await attack.withLogs(async () => {
      const environ = await build(
        'e27-environ',
        await tree([await folder('.gibbon', [await link('build.ts', '/proc/self/environ')])]),
      );
      const planted = await build(
        'e27-planted',
        await tree([await link('.gibbon', join(machine, '.gibbon'))]),
      );
      for (const ended of [environ, planted]) {
        expect(ended).toMatchObject({ status: 'error' });
        expect(ended.message).toBe('The build file .gibbon/build.ts leads outside the checkout.');
        expectNone({ message: ended.message ?? '', log: await logsOf(ended) }, [
          secret,
          ...(await runnerSecrets()),
        ]);
      }
    });
  });

  test('E27 symlink escape: an import that leads out of the checkout is refused at compile, by path or through a link', async () => {
    await attack.withLogs(async () => {
      const script = [
        "import { action, pipeline } from '@gibbon/sdk';",
        `import stolen from ${JSON.stringify(join(machine, 'secret.json'))};`,
        "import linked from '../settings.json';",
        "import text from '../notes/secret.txt';",
        'export default pipeline(() => [',
        "  action('print', async (job) => job.log(JSON.stringify({ stolen, linked, text }))),",
        ']);',
        '',
      ].join('\n');
      const ended = await build(
        'e27-import',
        await tree(
          [await link('settings.json', join(machine, 'secret.json')), await link('notes', machine)],
          script,
        ),
      );
      expect(ended).toMatchObject({ status: 'error', jobs: [] });
      for (const imported of [join(machine, 'secret.json'), '../settings.json']) {
        expect(ended.message).toContain(`"${imported}" resolves outside the checkout`);
      }
      expect(ended.message).toContain('"../notes/secret.txt" resolves outside the checkout');
      expectNone({ message: ended.message ?? '', log: await logsOf(ended) }, [secret]);
    });
  });

  test('E27 symlink escape: links in the checkout are read in the box and saved as links; a folder that is a link out is refused', async () => {
    await attack.withLogs(async () => {
      const image = attack.image!;
      const script = `import { readdirSync, readFileSync } from 'node:fs';
import { action, container, pipeline } from '@gibbon/sdk';

export default pipeline(() => [
  action('reader', async (job) => {
    for (const path of ['out/report.txt', 'out/token.json', 'cache/secret.txt']) {
      try {
        job.log('read ' + path + ': ' + readFileSync(path).length + ' bytes');
      } catch (error) {
        job.log('read ' + path + ': ' + (error as NodeJS.ErrnoException).code);
      }
    }
    try {
      job.log('listed cache: ' + readdirSync('cache').length + ' entries');
    } catch (error) {
      job.log('listed cache: ' + (error as NodeJS.ErrnoException).code);
    }
    await job.saveArtifact('action-out', 'out');
    try {
      await job.saveArtifact('action-cache', 'cache');
      job.log('saved cache: yes');
    } catch (error) {
      job.log('saved cache: ' + (error as Error).message);
    }
  }),
  container('container-out', {
    image: ${JSON.stringify(image)},
    command: ['true'],
    saveArtifacts: [{ id: 'container-out', path: 'out' }],
  }),
  container('container-folder', {
    image: ${JSON.stringify(image)},
    command: ['true'],
    saveArtifacts: [{ id: 'container-folder', path: 'cache' }],
  }),
  container('container-cache', {
    image: ${JSON.stringify(image)},
    command: ['true'],
    caches: [{ id: 'links', path: 'cache' }],
  }),
]);
`;
      const ended = await build(
        'e27-links',
        await tree(
          [
            await link('cache', machine),
            await folder('out', [
              await link('report.txt', '/etc/shadow'),
              await link('token.json', join(machine, 'secret.json')),
              await file('summary.txt', 'fine\n'),
            ]),
          ],
          script,
        ),
      );
      const jobs = Object.fromEntries(ended.jobs.map((job) => [job.id, job]));
      const reader = await attack.project.jobLog(ended.number, 'reader');
      // In the box, /etc/shadow is not readable and the machine's folder does not exist.
      expect(reader).toMatch(/^read out\/report\.txt: (ENOENT|EACCES)$/m);
      expect(reader).toMatch(/^read out\/token\.json: ENOENT$/m);
      expect(reader).toMatch(/^read cache\/secret\.txt: ENOENT$/m);
      expect(reader).toMatch(/^listed cache: ENOENT$/m);
      // The box sees the link but not where it leads: there is nothing to save.
      expect(reader).toMatch(
        /^saved cache: Artifact "action-cache": nothing to save at "cache"\.$/m,
      );
      expect(jobs.reader).toMatchObject({ status: 'success' });
      // The action's saveArtifact (the system tar, in the box) keeps the links as links.
      const entries = await artifact(ended.number, 'action-out');
      const byName = Object.fromEntries(
        entries.map((entry) => [entry.name.replace(/^\.\//, ''), entry]),
      );
      expect(byName['summary.txt']?.content.toString()).toBe('fine\n');
      for (const name of ['report.txt', 'token.json']) {
        expect({ name, type: byName[name]?.type, size: byName[name]?.content.length }).toEqual({
          name,
          type: 'other',
          size: 0,
        });
      }
      // The runner packs a container job's files outside the box: a link to an absolute path
      // is refused, as is a saved or cached folder that is itself a link out; each fails its
      // job with a message naming the path.
      const refusals = {
        'container-out':
          'Archive entry "report.txt" is refused: it is a symlink to the absolute path "/etc/shadow".',
        'container-folder': 'Path "cache" is not allowed: it leads outside the checkout.',
        'container-cache': 'Path "cache" is not allowed: it leads outside the checkout.',
      };
      for (const [id, message] of Object.entries(refusals)) {
        expect({ id, status: jobs[id]?.status, message: jobs[id]?.message }).toEqual({
          id,
          status: 'error',
          message,
        });
      }
      const listed = await attack.admin.ok<{ items: { id: string }[] }>(
        'GET',
        `${attack.project.repoPath}/builds/${ended.number}/artifacts`,
      );
      expect(listed.items.map((item) => item.id)).toEqual(['action-out']);
      expectNone(
        {
          message: JSON.stringify(ended),
          log: await logsOf(ended),
        },
        [secret],
      );
    });
  });

  test('E28 hostile git repository: entries named .. and .git fail the checkout; nothing is written outside it', async () => {
    await attack.withLogs(async () => {
      const marker = `escape-${randomBytes(4).toString('hex')}.txt`;
      const escape = await folder('..', [await file(marker, 'escaped\n')]);
      const hooks = await folder('hooks', [
        {
          ...(await file('post-checkout', `#!/bin/sh\ntouch ${join(machine, 'hooked')}\n`)),
          mode: '100755',
        },
      ]);
      const dotGit = await folder('.git', [
        await file(
          'config',
          `[core]\n\thooksPath = ${machine}\n\tfsmonitor = touch ${join(machine, 'fsmonitor')}\n`,
        ),
        hooks,
      ]);
      const script = "console.log('the build script ran');\n";
      for (const [branch, entry] of [
        ['e28-dotdot', escape],
        ['e28-dotgit', dotGit],
      ] as const) {
        const ended = await build(branch, await tree([entry], script));
        expect({ branch, status: ended.status }).toEqual({ branch, status: 'error' });
        expect(ended.message).toMatch(/unsafe/i);
        expect(await logsOf(ended)).not.toContain('the build script ran');
      }
      const found = await readdir(attack.stack.root, { recursive: true });
      expect(found.filter((path) => path.endsWith(marker))).toEqual([]);
    });
  });

  test('E28 hostile git repository: a link and a folder of one name, and hostile submodules, are checked out without leaving the checkout or fetching anything', async () => {
    await attack.withLogs(async () => {
      const pwn = join(machine, 'pwn');
      const gitmodules = [
        '[submodule "proxy"]',
        '\tpath = proxy',
        `\turl = ssh://-oProxyCommand=touch\${IFS}${pwn}/x`,
        '[submodule "ext"]',
        '\tpath = ext\r',
        `\turl = ext::sh -c touch% ${pwn}/y`,
        '[submodule "up"]',
        '\tpath = ../up',
        '\turl = file:///etc',
        '',
      ].join('\n');
      const inner = await folder('x', [await file('through-the-link.txt', 'escaped\n')]);
      const script = `import { lstatSync, readdirSync } from 'node:fs';
import { action, pipeline } from '@gibbon/sdk';

export default pipeline(() => [
  action('look', async (job) => {
    job.log('x is ' + (lstatSync('x').isSymbolicLink() ? 'a link' : 'a folder') + ': ' + readdirSync('x').join(','));
    for (const path of ['proxy', 'ext']) job.log(path + ' holds ' + readdirSync(path).length + ' entries');
  }),
]);
`;
      const ended = await build(
        'e28-mixed',
        await tree(
          [
            await file('.gitmodules', gitmodules),
            { mode: '160000', name: 'ext', oid: '2'.repeat(40) },
            { mode: '160000', name: 'proxy', oid: '1'.repeat(40) },
            // The folder first, then a link of the same name leading out, then the folder again:
            // a checkout that followed the link would write through it.
            inner,
            await link('x', machine),
            inner,
          ],
          script,
        ),
      );
      expect(ended).toMatchObject({ status: 'success' });
      const log = await attack.project.jobLog(ended.number, 'look');
      expect(log).toMatch(/^x is a folder: through-the-link\.txt$/m);
      expect(log).toMatch(/^proxy holds 0 entries$/m);
      expect(log).toMatch(/^ext holds 0 entries$/m);
    });
  });
});
