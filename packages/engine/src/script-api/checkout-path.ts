import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from '@gibbon/contracts';

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The real path of `path`, or of its deepest existing ancestor joined with the rest. */
async function realOrAncestor(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    return join(await realOrAncestor(parent), path.slice(parent.length + 1));
  }
}

/**
 * The absolute path of `userPath` inside the checkout. Absolute paths, `..` segments, NUL
 * bytes and symlinks that lead out of the checkout are refused with an InputError naming the
 * path, so no artifact or cache path can read or write outside it.
 */
export async function checkoutPath(checkoutDir: string, userPath: string): Promise<string> {
  const refuse = (why: string) =>
    new InputError(`Path ${JSON.stringify(userPath)} is not allowed: ${why}.`);
  if (userPath.includes('\0')) throw refuse('it contains a NUL byte');
  if (isAbsolute(userPath)) throw refuse('it is absolute; give a path inside the checkout');
  if (userPath.split(/[/\\]/).includes('..')) throw refuse("it contains '..'");
  const root = await realpath(checkoutDir);
  const target = resolve(root, userPath);
  if (!inside(root, await realOrAncestor(target))) throw refuse('it leads outside the checkout');
  return target;
}
