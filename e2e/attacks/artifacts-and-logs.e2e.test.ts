import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Build } from '@gibbon/contracts';
import { ApiClient, waitForEnd } from '../build/harness';
import { readTarGz } from '../build/harness/tarball';
import { shareAttackStack, type AttackStack } from './harness/attack-stack';
import { scriptApiSource } from './harness/script-api-source';
import { tarGz, tarHeader } from './harness/tar-writer';

// Plan family F (e2e/attacks/README.md): artifact names and paths, hostile archives on
// extraction, and who may read logs and artifacts. One stack with a build-runner; the build
// scripts are the attackers and talk to the runner's Script API themselves.
jest.setTimeout(150_000);

const MiB = 1024 * 1024;

let attack: AttackStack;
shareAttackStack({ runner: true }, (started) => (attack = started));

/** Commits `script` as `.gibbon/build.ts` on `branch`, triggers it and waits for its end. */
async function runScript(branch: string, script: string): Promise<Build> {
  await attack.project.commitScript(branch, script);
  const build = await attack.project.trigger(branch);
  return waitForEnd(attack.project, build.number, 120_000);
}

/** The keys of every object in the bucket (s3rver keeps `{bucket}/{key}._S3rver_object`). */
async function bucketKeys(): Promise<string[]> {
  const root = join(attack.stack.s3.directory, attack.stack.bucket);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('._S3rver_object'))
    .map((entry) =>
      relative(root, join(entry.parentPath, entry.name)).slice(0, -'._S3rver_object'.length),
    );
}

async function downloadArtifact(number: number, id: string, api = attack.admin): Promise<Response> {
  return api.fetch(`${attack.project.repoPath}/builds/${number}/artifacts/${id}`);
}

/** Lines `PUT <label> -> <status>` the naming script logs, as a map. */
function putStatuses(log: string): Record<string, number> {
  return Object.fromEntries(
    [...log.matchAll(/^PUT (.+) -> (\d{3})$/gm)].map((match) => [match[1] ?? '', Number(match[2])]),
  );
}

const fileArchive = (text: string) => tarGz([{ name: 'owner.txt', type: 'file', content: text }]);

describe('F. artifacts and log storage', () => {
  let first: Build;

  test("F32 artifact name and path traversal: hostile names are refused, keys stay under the build, another job's artifact is not overwritten", async () => {
    await attack.withLogs(async () => {
      const names: Record<string, string> = {
        '../../x': encodeURIComponent('../../x'),
        '../../x (raw)': '../../x',
        '/etc/passwd': encodeURIComponent('/etc/passwd'),
        '..\\..\\x': encodeURIComponent('..\\..\\x'),
        '%2e%2e%2f (literal)': encodeURIComponent('%2e%2e%2f'),
        '%2e%2e%2fx (decoded by the server)': '%2e%2e%2fx',
        'a/../../b': encodeURIComponent('a/../../b'),
        'a/../../b (raw)': 'a/../../b',
        '..': '..',
        '.': '.',
        'a NUL byte': encodeURIComponent('a\u0000b'),
        'a 4 KB name': 'a'.repeat(4096),
        'division slash look-alike': encodeURIComponent('..\u2215..\u2215x'),
        'fullwidth solidus look-alike': encodeURIComponent('..\uff0f..\uff0fx'),
        'a newline': encodeURIComponent('x\ny'),
      };
      const archive = fileArchive('from a hostile name').toString('base64');
      const script = `import { action, pipeline } from '@gibbon/sdk';
${scriptApiSource}
const names: Record<string, string> = ${JSON.stringify(names)};
const archive = Buffer.from(${JSON.stringify(archive)}, 'base64');
const put = (id: string, base64: string) =>
  scriptApi('PUT', '/v1/artifacts/' + id, Buffer.from(base64, 'base64'));

export default pipeline(() => [
  action('names', async (job) => {
    for (const [label, path] of Object.entries(names)) {
      const answer = await scriptApi('PUT', '/v1/artifacts/' + path, archive);
      job.log('PUT ' + label + ' -> ' + answer.status);
    }
  }),
  action('one', async (job) => {
    const answer = await put('shared', ${JSON.stringify(fileArchive('job one').toString('base64'))});
    job.log('PUT shared -> ' + answer.status);
  }),
  action('two', async (job) => {
    const answer = await put('shared', ${JSON.stringify(fileArchive('job two').toString('base64'))});
    job.log('PUT shared -> ' + answer.status);
  }, { dependsOn: ['one'] }),
]);
`;
      first = await runScript('f32-names', script);
      const log = await attack.project.jobLog(first.number, 'names');
      const statuses = putStatuses(log);
      expect(Object.keys(statuses).sort()).toEqual(Object.keys(names).sort());
      for (const [label, status] of Object.entries(statuses)) {
        expect({ label, refused: status >= 400 && status < 500 }).toEqual({ label, refused: true });
      }
      // Every object the build wrote is under its own org/repo/build prefix.
      const keys = await bucketKeys();
      const own = new RegExp(`^(artifacts|logs)/acme/web/${first.number}/`);
      const ofThisBuild = keys.filter(
        (key) => !/^(artifacts|logs)\/acme\/web\/\d+\//.test(key) || own.test(key),
      );
      for (const key of ofThisBuild)
        expect({ key, underBuild: own.test(key) }).toEqual({ key, underBuild: true });
      const listed = await attack.admin.ok<{ items: { id: string }[] }>(
        'GET',
        `${attack.project.repoPath}/builds/${first.number}/artifacts`,
      );
      expect(listed.items.map((item) => item.id)).toEqual(['shared']);
      // Job one's artifact: job two wrote the same id after it and must not have replaced it.
      const shared = readTarGz(
        Buffer.from(await (await downloadArtifact(first.number, 'shared')).arrayBuffer()),
      );
      expect(shared.find((entry) => entry.name === 'owner.txt')?.content.toString()).toBe(
        'job one',
      );
    });
  });

  test("F32 artifact name and path traversal: the same id in another build leaves the first build's artifact alone", async () => {
    await attack.withLogs(async () => {
      const script = `import { action, pipeline } from '@gibbon/sdk';
${scriptApiSource}
export default pipeline(() => [
  action('again', async (job) => {
    const answer = await scriptApi('PUT', '/v1/artifacts/shared', Buffer.from(${JSON.stringify(fileArchive('another build').toString('base64'))}, 'base64'));
    job.log('PUT shared -> ' + answer.status);
  }),
]);
`;
      const second = await runScript('f32-other-build', script);
      expect(second.status).toBe('success');
      const mine = readTarGz(
        Buffer.from(await (await downloadArtifact(second.number, 'shared')).arrayBuffer()),
      );
      expect(mine.find((entry) => entry.name === 'owner.txt')?.content.toString()).toBe(
        'another build',
      );
      const theirs = readTarGz(
        Buffer.from(await (await downloadArtifact(first.number, 'shared')).arrayBuffer()),
      );
      expect(theirs.find((entry) => entry.name === 'owner.txt')?.content.toString()).not.toBe(
        'another build',
      );
    });
  });

  test('F33 zip-slip and zip bomb on extraction: traversal, absolute, symlinked entries and a bomb are refused when a job restores them', async () => {
    await attack.withLogs(async () => {
      // An empty folder outside the checkout that the hostile entries aim at; it stays empty.
      const target = mkdtempSync('/tmp/gibbon-f33-');
      try {
        const up = '../'.repeat(12);
        const archives: Record<string, Buffer> = {
          traversal: tarGz([
            { name: 'ok.txt', type: 'file', content: 'fine' },
            { name: `${up}${target.slice(1)}/slip.txt`, type: 'file', content: 'escaped' },
          ]),
          absolute: tarGz([{ name: `${target}/absolute.txt`, type: 'file', content: 'escaped' }]),
          'symlink-then-file': tarGz([
            { name: 'link', type: 'symlink', linkTo: target },
            { name: 'link/through.txt', type: 'file', content: 'escaped' },
          ]),
          'relative-symlink-then-file': tarGz([
            { name: 'up', type: 'symlink', linkTo: `${up}${target.slice(1)}` },
            { name: 'up/through.txt', type: 'file', content: 'escaped' },
          ]),
        };
        // The bomb is made inside the build (the commit stays small): 128 MiB of zeros in one
        // entry, about 1000:1.
        const bombBytes = 128 * MiB;
        const bombHeader = tarHeader({ name: 'zeros.bin', type: 'file' }, bombBytes).toString(
          'base64',
        );
        const image = attack.image!;
        const ids = [...Object.keys(archives), 'bomb'];
        const script = `import { action, container, pipeline } from '@gibbon/sdk';
import { gzipSync } from 'node:zlib';
${scriptApiSource}
const archives: Record<string, string> = ${JSON.stringify(Object.fromEntries(Object.entries(archives).map(([id, bytes]) => [id, bytes.toString('base64')])))};

export default pipeline(() => [
  action('upload', async (job) => {
    for (const [id, base64] of Object.entries(archives)) {
      const answer = await scriptApi('PUT', '/v1/artifacts/' + id, Buffer.from(base64, 'base64'));
      job.log('PUT ' + id + ' -> ' + answer.status);
    }
    const bomb = gzipSync(Buffer.concat([Buffer.from(${JSON.stringify(bombHeader)}, 'base64'), Buffer.alloc(${bombBytes}), Buffer.alloc(1024)]), { level: 9 });
    job.log('bomb compressed to ' + bomb.length + ' bytes');
    const answer = await scriptApi('PUT', '/v1/artifacts/bomb', bomb);
    job.log('PUT bomb -> ' + answer.status);
  }),
  ...${JSON.stringify(ids)}.map((id: string) =>
    container('restore-' + id, {
      image: ${JSON.stringify(image)},
      dependsOn: ['upload'],
      restoreArtifacts: [{ id, path: 'restored-' + id }],
      command: ['true'],
    }),
  ),
]);
`;
        const build = await runScript('f33-extraction', script);
        const uploadLog = await attack.project.jobLog(build.number, 'upload');
        const uploads = putStatuses(uploadLog);
        const refusedAtUpload = (id: string) => (uploads[id] ?? 0) >= 400;
        const jobs = Object.fromEntries(build.jobs.map((job) => [job.id, job.status]));
        for (const id of ids) {
          // Refused at upload, or the restoring job fails: never extracted as if all were well.
          const restored = jobs[`restore-${id}`];
          expect({
            id,
            refused: refusedAtUpload(id) || (restored !== 'success' && restored !== undefined),
          }).toEqual({ id, refused: true });
        }
        expect(readdirSync(target)).toEqual([]);
      } finally {
        rmSync(target, { recursive: true, force: true });
      }
    });
  });

  test('F34 log and artifact access control: anonymous, another org, a revoked token and a runner token are refused; a member may read', async () => {
    await attack.withLogs(async () => {
      const repo = attack.project.repoPath;
      const number = first.number;
      const paths = {
        build: `${repo}/builds/${number}`,
        log: `${repo}/builds/${number}/jobs/names/logs`,
        'followed log': `${repo}/builds/${number}/jobs/names/logs?follow=true`,
        artifacts: `${repo}/builds/${number}/artifacts`,
        artifact: `${repo}/builds/${number}/artifacts/shared`,
        events: '/v1/orgs/acme/events',
      };
      const statusOf = async (path: string, token: string | undefined) => {
        const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
        const response = await fetch(`${attack.url}${path}`, {
          headers,
          signal: AbortSignal.timeout(10_000),
        });
        await response.body?.cancel();
        return response.status;
      };
      const every = async (token: string | undefined): Promise<Record<string, number>> =>
        Object.fromEntries(
          await Promise.all(
            Object.entries(paths).map(async ([name, path]): Promise<[string, number]> => [
              name,
              await statusOf(path, token),
            ]),
          ),
        );
      const all = (status: number) =>
        Object.fromEntries(Object.keys(paths).map((name) => [name, status]));

      await attack.admin
        .ok('POST', '/v1/orgs', { slug: `rival-${randomBytes(3).toString('hex')}` })
        .then(async (org) => {
          const slug = (org as { slug: string }).slug;
          const rival = await attack.admin.ok<{ secret: string }>(
            'POST',
            `/v1/orgs/${slug}/tokens`,
            { name: 'rival', role: 'admin' },
          );
          expect(await every(rival.secret)).toEqual(all(403));
        });
      expect(await every(undefined)).toEqual(all(401));
      expect(await every(`gbn_org_${randomBytes(32).toString('base64url')}`)).toEqual(all(401));
      const member = await attack.admin.ok<{ id: string; secret: string }>(
        'POST',
        '/v1/orgs/acme/tokens',
        { name: 'reader', role: 'read' },
      );
      const memberStatuses = await every(member.secret);
      expect(memberStatuses).toEqual(all(200));
      await attack.admin.ok('DELETE', `/v1/orgs/acme/tokens/${member.id}`);
      expect(await every(member.secret)).toEqual(all(401));
      const runnerToken = (
        await attack.admin.ok<{ token: string }>('POST', '/v1/runners', { name: 'f34' })
      ).token;
      const asRunner = await every(runnerToken);
      for (const [name, status] of Object.entries(asRunner)) {
        expect({ name, refused: status === 401 || status === 403 }).toEqual({
          name,
          refused: true,
        });
      }
      // A read token cannot change anything either.
      const reader = await attack.admin.ok<{ secret: string }>('POST', '/v1/orgs/acme/tokens', {
        name: 'reader-2',
        role: 'read',
      });
      const asReader = new ApiClient(attack.url, reader.secret);
      expect((await asReader.call('POST', `${repo}/builds/${number}/retry`)).status).toBe(403);
    });
  });
});
