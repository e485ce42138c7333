/**
 * Paths a build script names (artifact paths, `sh` working folders) stay inside the checkout:
 * absolute paths, `..` that climbs out, and symlinks that lead out are refused.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { InputError } from '../contracts';

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The nearest existing ancestor's real path, so a path not created yet can be checked too. */
async function realpathOfExisting(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    const parent = join(path, '..');
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === path) throw error;
    return realpathOfExisting(parent);
  }
}

/**
 * The absolute path of `path` (relative to `checkout`), after checking it stays inside.
 * `what` names the path in the error (`artifact "dist" path`).
 */
export async function resolveInCheckout(
  checkout: string,
  path: string,
  what: string,
): Promise<string> {
  if (typeof path !== 'string' || path === '' || path.includes('\0')) {
    throw new InputError(`The ${what} must be a non-empty path relative to the checkout.`);
  }
  if (isAbsolute(path)) {
    throw new InputError(
      `The ${what} ${JSON.stringify(path)} is absolute; give a path relative to the checkout.`,
    );
  }
  const root = await realpath(checkout);
  const absolute = join(root, normalize(path));
  if (!isInside(root, absolute)) {
    throw new InputError(`The ${what} ${JSON.stringify(path)} leaves the checkout.`);
  }
  if (!isInside(root, await realpathOfExisting(absolute))) {
    throw new InputError(
      `The ${what} ${JSON.stringify(path)} leads out of the checkout through a symlink.`,
    );
  }
  return absolute;
}
