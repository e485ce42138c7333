import S3rver from 's3rver';

/**
 * s3rver in its own process, so the benchmark's RSS figures are the store's alone.
 * Prints `{"port": N}` once listening; stops when its parent disconnects or kills it.
 */
async function main(): Promise<void> {
  const directory = process.argv[2];
  if (!directory) throw new Error('usage: s3rver-child.ts <directory>');
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: 'bench', configs: [] }],
  });
  const { port } = await server.run();
  process.stdout.write(`${JSON.stringify({ port })}\n`);
}

void main();
