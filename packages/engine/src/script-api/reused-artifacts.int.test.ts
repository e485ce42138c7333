import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { artifactKey, LocalDiskBlobStore, storeDirectory } from '@gibbon/storage';
import { JobLog } from '../logs/job-log';
import { MemoryLogSink } from '../logs/log-sink';
import { Masker } from '../masking/masker';
import { BuildStorage } from './build-storage';
import { CacheScope } from './cache-scope';
import { StorageJobFiles } from './storage-job-files';

const repo = { org: 'acme', repo: 'web' };
const caches = new CacheScope({ repo, branch: 'main', tag: null, mainBranch: 'main' });

// A re-run of a re-run (build 3 re-runs 2, which re-ran 1): a job reused twice saved its
// artifacts in build 1, so the jobs of build 3 look in 3, then 2, then 1, nearest first.
describe('artifacts of reused jobs, through every build they were saved in', () => {
  let root: string;
  let store: LocalDiskBlobStore;
  let checkout: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'gibbon-reused-'));
    store = new LocalDiskBlobStore({ root: join(root, 'store') });
    await store.open();
    checkout = join(root, 'checkout');
    await mkdir(checkout);
    const save = async (build: number, id: string, text: string) => {
      const dir = join(root, `${build}-${id}`);
      await mkdir(dir);
      await writeFile(join(dir, 'file.txt'), text);
      await storeDirectory(store, artifactKey({ ...repo, build, id }), dir);
    };
    await save(1, 'lint', 'lint of build 1');
    await save(1, 'report', 'report of build 1');
    await save(2, 'report', 'report of build 2');
  });

  afterAll(async () => {
    await store.close();
    await rm(root, { recursive: true, force: true });
  });

  it('restores each from the nearest build that has it, and says which', async () => {
    const files = new StorageJobFiles(store, { ...repo, build: 3 }, checkout, true, caches, [2, 1]);
    const sink = new MemoryLogSink();
    const log = new JobLog('deploy', new Masker(), sink);
    const job = {
      id: 'deploy',
      image: 'x',
      script: ['true'],
      restoreArtifacts: [
        { id: 'lint', path: 'lint' },
        { id: 'report', path: 'report' },
      ],
    };
    await files.restore(job, log);
    log.close();
    expect(await readFile(join(checkout, 'lint/file.txt'), 'utf8')).toBe('lint of build 1');
    expect(await readFile(join(checkout, 'report/file.txt'), 'utf8')).toBe('report of build 2');
    expect(sink.linesOf('deploy')).toEqual([
      'Restored artifact lint into lint (saved by build #1, whose job this build reuses)',
      'Restored artifact report into report (saved by build #2, whose job this build reuses)',
    ]);
  });

  it("serves an action job's restore the same way, and a missing one as not found", async () => {
    const storage = new BuildStorage(store, { ...repo, build: 3 }, true, caches, [2, 1]);
    const chunks: Buffer[] = [];
    for await (const chunk of await storage.getArtifact('lint')) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).length).toBeGreaterThan(0);
    await expect(storage.getArtifact('nothing')).rejects.toThrow(/No stored object/);
  });
});
