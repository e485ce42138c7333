import { execFile } from 'node:child_process';
import { access, realpath } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

const installHint = 'install it with `apt-get install -y busybox-static`';

/** Applets the images must have; job scripts and engine tests rely on them. */
const requiredApplets = [
  'sh', 'cat', 'echo', 'ls', 'sleep', 'true', 'false', 'mkdir', 'tar', 'env', 'id', 'wc', 'head',
  'dd', 'yes',
] as const; // prettier-ignore

/** One entry of the image's root file system; paths are absolute inside the image. */
export type RootEntry =
  | { readonly type: 'directory'; readonly path: string; readonly mode: number }
  | { readonly type: 'file'; readonly path: string; readonly source: string; readonly mode: number }
  | { readonly type: 'text'; readonly path: string; readonly text: string; readonly mode: number }
  | { readonly type: 'symlink'; readonly path: string; readonly target: string };

/** The host programs the image is made from. */
export interface HostTools {
  readonly busyboxPath: string;
  /** First line of `busybox --help`, e.g. `BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) ...`. */
  readonly busyboxVersion: string;
  readonly nodePath: string;
  readonly nodeVersion: string;
}

/** Finds busybox and node on this machine; fails with an install hint when busybox is missing. */
export async function findHostTools(
  busyboxCandidates: readonly string[] = ['/bin/busybox', '/usr/bin/busybox'],
): Promise<HostTools> {
  const busyboxPath = await firstExisting(busyboxCandidates);
  if (!busyboxPath) throw new Error(`busybox is not installed: ${installHint}.`);
  const { stdout } = await run(busyboxPath, ['--help']);
  return {
    busyboxPath,
    busyboxVersion: stdout.split('\n', 1)[0] ?? '',
    nodePath: await realpath(process.execPath),
    nodeVersion: process.version,
  };
}

/**
 * The root file system: busybox with a link per applet (at the place `--list-full` names),
 * this machine's node at /usr/local/bin/node with the shared libraries ldd lists for it, and
 * the few files (passwd, group, /tmp) that programs expect.
 */
export async function rootFileSystem(tools: HostTools): Promise<RootEntry[]> {
  await assertStatic(tools.busyboxPath);
  const applets = await appletPaths(tools.busyboxPath);
  const libraries = await sharedLibraries(tools.nodePath);
  return [
    ...['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/etc', '/root', '/home'].map(
      (path) => ({ type: 'directory', path, mode: 0o755 }) as const,
    ),
    { type: 'directory', path: '/tmp', mode: 0o1777 },
    { type: 'file', path: '/bin/busybox', source: tools.busyboxPath, mode: 0o755 },
    ...applets
      .filter((path) => path !== '/bin/busybox')
      .map((path) => ({ type: 'symlink', path, target: '/bin/busybox' }) as const),
    { type: 'file', path: '/usr/local/bin/node', source: tools.nodePath, mode: 0o755 },
    ...(await Promise.all(
      libraries.map(async (path) => ({
        type: 'file' as const,
        path,
        source: await realpath(path),
        mode: 0o755,
      })),
    )),
    { type: 'text', path: '/etc/passwd', mode: 0o644, text: passwd },
    { type: 'text', path: '/etc/group', mode: 0o644, text: group },
  ];
}

const passwd =
  'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n';
const group = 'root:x:0:\nnogroup:x:65534:\n';

/** A dynamically linked busybox (Debian's `busybox` package) would need libraries we don't copy. */
async function assertStatic(busyboxPath: string): Promise<void> {
  const output = await run('ldd', [busyboxPath]).then(
    ({ stdout }) => stdout,
    (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
  );
  if (/not a dynamic executable|statically linked/.test(output)) return;
  throw new Error(`${busyboxPath} is dynamically linked; ${installHint} instead.`);
}

async function appletPaths(busyboxPath: string): Promise<string[]> {
  const { stdout } = await run(busyboxPath, ['--list-full']);
  const paths = stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => `/${line}`);
  const names = new Set(paths.map((path) => path.slice(path.lastIndexOf('/') + 1)));
  const missing = requiredApplets.filter((name) => !names.has(name));
  if (missing.length > 0) {
    throw new Error(`${busyboxPath} lacks the applets ${missing.join(', ')}; ${installHint}.`);
  }
  return paths;
}

/** Absolute paths from `ldd` output: `libc.so.6 => /lib/.../libc.so.6 (0x...)` or `/lib64/ld-... (0x...)`. */
export function parseLdd(output: string): string[] {
  return output
    .split('\n')
    .map((line) => /(?:=>\s+)?(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line)?.[1])
    .filter((path): path is string => path !== undefined);
}

async function sharedLibraries(binary: string): Promise<string[]> {
  const { stdout } = await run('ldd', [binary]);
  return parseLdd(stdout);
}

async function firstExisting(paths: readonly string[]): Promise<string | undefined> {
  for (const path of paths) {
    const exists = await access(path).then(
      () => true,
      () => false,
    );
    if (exists) return path;
  }
  return undefined;
}
