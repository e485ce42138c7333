import { join } from 'node:path';
import { writePrivateFile } from '../data-folder/private-files';
import type { TokensService } from './tokens.service';

export const adminTokenFileName = 'admin-token';

/**
 * On the first start (no admin token in the database yet) creates one, writes it to
 * `admin-token` in the data folder (0600) and hands it to `announce` to be shown once.
 * The database keeps only its hash; later starts leave both alone and return `undefined`.
 */
export async function ensureAdminToken(
  tokens: TokensService,
  dataDir: string,
  announce: (secret: string, path: string) => void,
): Promise<string | undefined> {
  const secret = await tokens.ensureAdminToken();
  if (secret === undefined) return undefined;
  const path = join(dataDir, adminTokenFileName);
  await writePrivateFile(path, secret + '\n');
  announce(secret, path);
  return secret;
}
