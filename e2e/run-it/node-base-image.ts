import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The base the services' Dockerfiles name; no registry here, so a local stand-in wears it. */
export const nodeBaseImage = 'node:20.19-bookworm-slim';
const recipeLabel = 'dev.gibbon.test-base';

/**
 * Tags a stand-in for `node:20.19-bookworm-slim`, made of this machine's parts on top of
 * test-kit's busybox+node image (`nodeImage`): pnpm with its shared libraries, setpriv and bwrap, a `node` user
 * (uid 1000, as in the official image), the CA bundle node is told to trust here
 * (NODE_EXTRA_CA_CERTS), and a copy of the pnpm store so `pnpm install` inside a build finds
 * every package, including native builds, without compiling. Rebuilt when the lockfile,
 * node or pnpm change; never replaces a `node:20.19-bookworm-slim` it did not make.
 */
export async function ensureNodeBaseImage(nodeImage: string, repoRoot: string): Promise<string> {
  const pnpm = await realpath((await run('sh', ['-c', 'command -v pnpm'])).stdout.trim());
  const store = (await run('pnpm', ['store', 'path'], { cwd: repoRoot })).stdout.trim();
  const lockfile = await readFile(join(repoRoot, 'pnpm-lock.yaml'));
  const recipe = createHash('sha256')
    .update(JSON.stringify([nodeImage, pnpm, store, process.env.NODE_EXTRA_CA_CERTS ?? '', 4]))
    .update(lockfile)
    .digest('hex')
    .slice(0, 16);
  const existing = await labelOf(nodeBaseImage);
  if (existing === recipe) return nodeBaseImage;
  if (existing === null) {
    throw new Error(`${nodeBaseImage} exists and was not made by the tests; not replacing it.`);
  }
  const context = await mkdtemp(join(tmpdir(), 'gibbon-node-base-'));
  try {
    await writeContext(context, { nodeImage, pnpm, store, recipe });
    await run('docker', ['build', '--pull=false', '-q', '-t', nodeBaseImage, context], {
      maxBuffer: 16 * 1024 * 1024,
    });
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  return nodeBaseImage;
}

interface Recipe {
  readonly nodeImage: string;
  readonly pnpm: string;
  readonly store: string;
  readonly recipe: string;
}

async function writeContext(context: string, { nodeImage, pnpm, store, recipe }: Recipe) {
  const lines = [`FROM ${nodeImage}`, `LABEL ${recipeLabel}=${recipe}`];
  await cp(dirname(pnpm), join(context, 'pnpm'), { recursive: true });
  lines.push('COPY pnpm /usr/local/lib/node_modules/pnpm');
  for (const library of await sharedLibraries(pnpm)) {
    await mkdir(join(context, 'libs', dirname(library)), { recursive: true });
    await cp(await realpath(library), join(context, 'libs', library));
  }
  // util-linux's setpriv, choom and prlimit, as in the real image, and bubblewrap, which the runner's Dockerfile
  // installs when the base lacks it (apt is out of reach here): build scripts start through them.
  for (const program of [
    '/usr/bin/setpriv',
    '/usr/bin/choom',
    '/usr/bin/prlimit',
    '/usr/bin/bwrap',
  ]) {
    for (const file of [program, ...(await sharedLibraries(program))]) {
      await mkdir(join(context, 'libs', dirname(file)), { recursive: true });
      await cp(await realpath(file), join(context, 'libs', file));
    }
  }
  lines.push('COPY libs/ /');
  const ca = process.env.NODE_EXTRA_CA_CERTS;
  if (ca) {
    await cp(ca, join(context, 'ca.crt'));
    lines.push('COPY ca.crt /etc/ssl/certs/gibbon-extra-ca.crt');
    lines.push('ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/gibbon-extra-ca.crt');
  }
  await cp(store, join(context, 'store'), { recursive: true });
  lines.push(`COPY store ${store}`);
  lines.push(
    `RUN ln -s /usr/local/lib/node_modules/pnpm/${basename(pnpm)} /usr/local/bin/pnpm` +
      " && echo 'node:x:1000:1000:node:/home/node:/bin/sh' >> /etc/passwd" +
      " && echo 'node:x:1000:' >> /etc/group && mkdir -p /home/node && chown node:node /home/node",
  );
  await writeFile(join(context, 'Dockerfile'), lines.join('\n') + '\n');
}

/** `undefined` when the image is missing, `null` when it exists without our label. */
async function labelOf(image: string): Promise<string | null | undefined> {
  try {
    const { stdout } = await run('docker', ['image', 'inspect', image]);
    const [inspected] = JSON.parse(stdout) as { Config?: { Labels?: Record<string, string> } }[];
    return inspected?.Config?.Labels?.[recipeLabel] ?? null;
  } catch {
    return undefined;
  }
}

/** Libraries `ldd` names for an ELF binary; none for a script (pnpm.cjs runs on node). */
async function sharedLibraries(binary: string): Promise<string[]> {
  const output = await run('ldd', [binary]).then(
    ({ stdout }) => stdout,
    () => '',
  );
  return [...output.matchAll(/(?:=>\s+)?(\/\S+)\s+\(0x[0-9a-f]+\)/g)].map(
    (match) => match[1] ?? '',
  );
}
