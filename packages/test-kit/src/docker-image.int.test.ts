import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { dockerClient, isDockerAvailable } from './docker-client';
import { ensureImage, ensureTestImage, testImageRepository } from './docker-image';

interface ContainerResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

const docker = dockerClient();
const label = { 'gibbon.test-kit': 'docker-image.int.test' };

/** Runs `cmd` to completion in a fresh container without network and removes it. */
async function runInContainer(image: string, cmd: string[]): Promise<ContainerResult> {
  const container = await docker.createContainer({
    Image: image,
    Cmd: cmd,
    Labels: label,
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = await container.logs({ stdout: true, stderr: true, follow: false });
    return { exitCode: StatusCode, ...demultiplex(logs) };
  } finally {
    await container.remove({ force: true });
  }
}

/** Docker frames non-TTY logs: 1 byte stream id, 3 padding, 4 bytes big-endian length. */
function demultiplex(frames: Buffer): { stdout: string; stderr: string } {
  const out: Record<'stdout' | 'stderr', Buffer[]> = { stdout: [], stderr: [] };
  for (let offset = 0; offset + 8 <= frames.length;) {
    const length = frames.readUInt32BE(offset + 4);
    const payload = frames.subarray(offset + 8, offset + 8 + length);
    out[frames[offset] === 2 ? 'stderr' : 'stdout'].push(payload);
    offset += 8 + length;
  }
  return {
    stdout: Buffer.concat(out.stdout).toString(),
    stderr: Buffer.concat(out.stderr).toString(),
  };
}

async function removeRepository(client: Docker, repository: string): Promise<void> {
  const images = await client.listImages({ filters: { reference: [repository] } });
  for (const image of images) await client.getImage(image.Id).remove({ force: true });
}

describe('ensureTestImage', () => {
  beforeAll(async () => {
    expect(await isDockerAvailable()).toBe(true);
  });

  it('runs sh and node in a container without network', async () => {
    const image = await ensureTestImage();
    expect(image).toMatch(new RegExp(`^${testImageRepository}:[0-9a-f]{12}$`));

    const result = await runInContainer(image, [
      'sh',
      '-c',
      'echo hi && node -e "console.log(1+1)"',
    ]);

    expect(result).toEqual({ exitCode: 0, stdout: 'hi\n2\n', stderr: '' });
  }, 180_000);

  it('has the busybox applets job scripts use', async () => {
    const image = await ensureTestImage();
    const script = [
      'mkdir -p /tmp/a && echo data > /tmp/a/f && tar -C /tmp -cf /tmp/a.tar a && tar -tf /tmp/a.tar',
      'cat /tmp/a/f && yes | head -n 2 && dd if=/dev/zero bs=1 count=4 2>/dev/null | wc -c',
      'id -un && env | grep ^PATH= && ls /usr/local/bin && sleep 0 && true && ! false',
    ].join(' && ');

    const result = await runInContainer(image, ['sh', '-c', script]);

    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')).toEqual([
      'a/',
      'a/f',
      'data',
      'y',
      'y',
      '4',
      'root',
      'PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin',
      'node',
      '',
    ]);
    expect(result.exitCode).toBe(0);
  }, 180_000);

  it('is fast and returns the same tag when the image is present', async () => {
    const first = await ensureTestImage();
    const startedAt = performance.now();

    const second = await ensureTestImage();

    expect(second).toBe(first);
    expect(performance.now() - startedAt).toBeLessThan(1_000);
  }, 180_000);

  it('builds one image when two callers race for a missing one', async () => {
    const repository = `gibbon-test/selftest-${randomBytes(4).toString('hex')}`;
    try {
      const [first, second] = await Promise.all([ensureImage(repository), ensureImage(repository)]);

      expect(second).toBe(first);
      const images = await docker.listImages({ filters: { reference: [repository] } });
      expect(images.map((image) => image.RepoTags)).toEqual([[first]]);
    } finally {
      await removeRepository(docker, repository);
    }
  }, 180_000);
});
