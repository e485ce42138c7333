import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerClient } from '@gibbon/test-kit';
import { testBuildContext } from '../../test/build-context';
import { DockerBackend } from '../containers/docker/docker-backend';
import { defaultContainerConfig } from '../containers/types';
import { MemoryLogSink } from '../logs/log-sink';
import { StaticParamProvider } from '../script-api/params';
import { runBuild } from './run-build';

const MiB = 1024 * 1024;

// An action that writes into the checkout, 4 MiB at a time, up to 400 MiB: far past the
// limit, so only the guard can end it before it is done.
const filler = `import { openSync, writeSync, closeSync } from 'node:fs';
import { action, pipeline } from '@gibbon/sdk';

export default pipeline(() => [
  action('fill', async (job) => {
    const fd = openSync('filler.bin', 'w');
    const chunk = Buffer.alloc(4 * 1024 * 1024, 7);
    for (let written = 0; written < 100; written++) {
      writeSync(fd, chunk);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    closeSync(fd);
    job.log('wrote all of it');
  }),
]);
`;

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gibbon-build-disk-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a build that fills the disk', () => {
  it('is stopped at its disk limit and fails saying so', async () => {
    const checkoutDir = join(root, 'checkout');
    await mkdir(join(checkoutDir, '.gibbon'), { recursive: true });
    await writeFile(join(checkoutDir, '.gibbon', 'build.ts'), filler);
    const sink = new MemoryLogSink();
    const outcome = await runBuild({
      checkoutDir,
      context: testBuildContext(),
      params: new StaticParamProvider({}),
      backend: new DockerBackend(dockerClient(), { ...defaultContainerConfig, runnerId: 'disk' }),
      network: 'none',
      logSink: sink,
      workDir: await mkdtemp(join(root, 'work-')),
      compileCacheDir: join(root, 'compile-cache'),
      scriptGraceMs: 2_000,
      diskLimitBytes: 32 * MiB,
    });
    expect(outcome.status).toBe('failure');
    expect(outcome.message).toMatch(
      /^The build was stopped: its checkout and work folder took \d+ MiB of disk, more than the 32 MiB it may use \(GIBBON_BUILD_DISK_MB\)\.$/,
    );
    expect(outcome.jobs).toEqual([expect.objectContaining({ jobId: 'fill', status: 'canceled' })]);
    expect(sink.linesOf('fill')).not.toContain('wrote all of it');
    expect(sink.linesOf('_script')).toContain(outcome.message);
  }, 120_000);
});
