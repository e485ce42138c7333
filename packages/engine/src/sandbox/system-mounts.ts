import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The parts of the host a script may see, read-only: programs and libraries (`/usr`, and the
 * merged-/usr links), and the few files of `/etc` that name resolution, TLS and user lookups
 * read. The rest of `/etc` (the runner's configuration, `shadow`, service env files) stays out.
 */
const SYSTEM_FOLDERS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
const ETC_ENTRIES = [
  '/etc/alternatives',
  '/etc/ca-certificates',
  '/etc/ca-certificates.conf',
  '/etc/gai.conf',
  '/etc/group',
  '/etc/host.conf',
  '/etc/hosts',
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/localtime',
  '/etc/mime.types',
  '/etc/nsswitch.conf',
  '/etc/os-release',
  '/etc/passwd',
  '/etc/protocols',
  '/etc/resolv.conf',
  '/etc/services',
  '/etc/ssl',
  '/etc/timezone',
];

type Mount = ['--ro-bind' | '--symlink', string, string];

function entryMount(path: string): Mount | undefined {
  try {
    const info = lstatSync(path);
    if (info.isSymbolicLink()) return ['--symlink', readlinkSync(path), path];
    return ['--ro-bind', path, path];
  } catch {
    return undefined; // absent on this machine
  }
}

/**
 * Node itself, where it lives outside the system folders (nvm, a tarball in /srv): the folder
 * of its real binary, so that `process.execPath` runs in the box.
 */
function nodeMount(): Mount[] {
  const real = realpathSync(process.execPath);
  if (SYSTEM_FOLDERS.some((folder) => real.startsWith(`${folder}/`))) return [];
  return [['--ro-bind', dirname(real), dirname(real)]];
}

let cached: string[] | undefined;

/** bwrap arguments for the read-only system view; computed once per process. */
export function systemMountArgs(): string[] {
  cached ??= [...SYSTEM_FOLDERS, ...ETC_ENTRIES]
    .map(entryMount)
    .filter((mount): mount is Mount => mount !== undefined)
    .concat(nodeMount())
    .flat();
  return cached;
}
