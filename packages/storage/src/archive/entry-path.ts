import { posix } from 'node:path';
import { InputError } from '@gibbon/contracts';

/** An `InputError` that names the archive entry it refuses, so a user can find it. */
export function refuse(entryName: string, reason: string): InputError {
  return new InputError(`Archive entry ${JSON.stringify(entryName)} is refused: ${reason}.`);
}

/**
 * The path segments of an entry name, relative to the destination. Absolute names, `..`
 * segments, NULs and backslashes (a `..\` on Windows) are refused; `.` and empty segments
 * are dropped, so `./a//b/` is `['a', 'b']`.
 */
export function entrySegments(entryName: string): string[] {
  if (entryName.includes('\u0000')) throw refuse(entryName, 'its name contains a NUL');
  if (entryName.includes('\\')) throw refuse(entryName, 'its name contains a backslash');
  if (entryName.startsWith('/') || /^[A-Za-z]:/.test(entryName)) {
    throw refuse(entryName, 'it is an absolute path');
  }
  const segments = entryName.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..'))
    throw refuse(entryName, 'it climbs out of the destination with ".."');
  return segments;
}

/**
 * Refuses a symlink whose target is absolute or resolves outside the tree; a link that
 * stays inside (`bin/tool -> ../lib/tool.js`) is kept as it is.
 */
export function checkSymlinkTarget(entryName: string, segments: string[], linkname: string): void {
  if (linkname === '' || linkname.includes('\u0000')) {
    throw refuse(entryName, 'it is a symlink with an empty or NUL target');
  }
  if (posix.isAbsolute(linkname) || linkname.includes('\\')) {
    throw refuse(entryName, `it is a symlink to the absolute path ${JSON.stringify(linkname)}`);
  }
  const resolved = posix.normalize(posix.join(...segments.slice(0, -1), linkname));
  if (resolved === '..' || resolved.startsWith('../')) {
    throw refuse(entryName, `it is a symlink to ${JSON.stringify(linkname)}, outside the tree`);
  }
}
