import { randomBytes } from 'node:crypto';
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { ConflictError } from '@gibbon/contracts';
import { syncFolder, writePrivateFile } from '../data-folder/private-files';
import { keyBytes } from './aead';
import { MasterKeyError, parseMasterKey } from './master-key';
import { masterKeyOf, type MasterKey, type MasterKeySource } from './master-key-ring';

export const masterKeyFileName = 'master.key';
/** The key a rotation moves to, saved before anything is wrapped by it. */
export const nextMasterKeyFileName = 'master.key.next';

/**
 * `master.key` in the data folder (0600), made with random bytes on first start. A rotation
 * saves the new key as `master.key.next` before anything is wrapped by it, and renames it onto
 * `master.key` once every stored key is re-wrapped: at every moment the folder holds every key
 * the database needs, and after the rename the old key exists nowhere. A start during a
 * rotation holds both files' keys.
 */
export async function openMasterKeyFile(dataDir: string): Promise<MasterKeySource> {
  const currentPath = join(dataDir, masterKeyFileName);
  const nextPath = join(dataDir, nextMasterKeyFileName);
  await createKeyFileIfMissing(currentPath);
  const load = async (): Promise<MasterKey[]> => {
    const current = await readKeyFile(currentPath);
    const next = await readKeyFile(nextPath, { optional: true });
    return next ? [current, next] : [current];
  };
  return {
    kind: 'file',
    load,
    async beginRotation() {
      const saved = await readKeyFile(nextPath, { optional: true });
      if (saved) return saved;
      await createKeyFileIfMissing(nextPath);
      return readKeyFile(nextPath);
    },
    async finishRotation(next) {
      const saved = await readKeyFile(nextPath, { optional: true });
      if (saved === undefined && (await readKeyFile(currentPath)).id === next.id) return;
      if (saved?.id !== next.id) {
        throw new ConflictError(
          `${nextPath} no longer holds the master key ${next.id} this rotation moved to; run the rotation again.`,
        );
      }
      await rename(nextPath, currentPath);
      await syncFolder(dataDir);
    },
  };
}

/**
 * `GIBBON_MASTER_KEY` (and the keys of `GIBBON_MASTER_KEY_PREVIOUS`). The operator supplies
 * the new key, so a rotation moves every stored key to `GIBBON_MASTER_KEY`; it needs a
 * previous key to move from, and afterwards the operator removes `GIBBON_MASTER_KEY_PREVIOUS`.
 */
export function masterKeyFromEnvironment(
  current: Buffer,
  previous: readonly Buffer[] = [],
): MasterKeySource {
  const keys = [current, ...previous].map(masterKeyOf);
  const [currentKey] = keys as [MasterKey, ...MasterKey[]];
  return {
    kind: 'env',
    load: () => Promise.resolve(keys),
    beginRotation() {
      if (keys.length > 1) return Promise.resolve(currentKey);
      return Promise.reject(
        new ConflictError(
          `The master key comes from GIBBON_MASTER_KEY (${currentKey.id}), so the service cannot make a new one itself: move the current key to GIBBON_MASTER_KEY_PREVIOUS, set GIBBON_MASTER_KEY to a new key (openssl rand -base64 ${keyBytes}), restart public-api, and rotate again.`,
        ),
      );
    },
    finishRotation: () => Promise.resolve(),
  };
}

async function createKeyFileIfMissing(path: string): Promise<void> {
  const key = randomBytes(keyBytes).toString('base64') + '\n';
  try {
    await writePrivateFile(path, key, { exclusive: true });
  } catch (error) {
    // Another process made it meanwhile: theirs is the key.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw new MasterKeyError(`Cannot create the master key file ${path}.`, { cause: error });
  }
}

async function readKeyFile(path: string): Promise<MasterKey>;
async function readKeyFile(
  path: string,
  options: { optional: true },
): Promise<MasterKey | undefined>;
async function readKeyFile(
  path: string,
  { optional = false }: { optional?: boolean } = {},
): Promise<MasterKey | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MasterKeyError(`Cannot read the master key file ${path}; check its permissions.`, {
      cause: error,
    });
  }
  return masterKeyOf(parseMasterKey(text, `The master key file ${path}`));
}
