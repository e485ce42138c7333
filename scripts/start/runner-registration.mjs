// The embedded build-runner's registration. The first start registers it with the admin token
// (POST /v1/runners) and keeps `{ id, token }` in `runner-token.json` (0600) in the data
// folder; later starts reuse it as long as public-api still lists that runner, and register a
// new one when it does not (runner deleted, database reset).
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StartError } from './preflight.mjs';

export const runnerFileName = 'runner-token.json';
export const adminTokenFileName = 'admin-token';
const runnerName = 'local';

/** The admin token public-api wrote on its first start, or undefined when the file is gone. */
export async function readAdminToken(dataDir) {
  const text = await readFile(join(dataDir, adminTokenFileName), 'utf8').catch((error) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  return text?.trim() || undefined;
}

/** Returns the runner `{ id, token }` the build-runner should use, registering one when needed. */
export async function ensureRunnerToken(api, dataDir) {
  const path = join(dataDir, runnerFileName);
  const saved = await readSaved(path);
  const adminToken = await readAdminToken(dataDir);
  if (adminToken === undefined) {
    if (saved) return saved;
    throw new StartError(
      `No admin token in ${join(dataDir, adminTokenFileName)} to register the build-runner; ` +
        'put the admin token back in that file, or start with an empty GIBBON_DATA_DIR.',
    );
  }
  if (saved && (await isRegistered(api, adminToken, saved.id))) return saved;
  const runner = await api.request('POST', '/v1/runners', adminToken, { name: runnerName });
  if (runner.status !== 201) {
    throw new StartError(
      `public-api refused to register the build-runner (${runner.status} ${runner.text}); ` +
        `check that ${adminTokenFileName} in the data folder holds this server's admin token.`,
    );
  }
  const { id, token } = runner.body;
  await writePrivately(path, JSON.stringify({ id, token }) + '\n');
  return { id, token };
}

/**
 * Writes `path` with mode 0600 through a new file and a rename: the token is never in a file
 * others may read (an old runner-token.json with a looser mode is replaced, not rewritten),
 * and a crash leaves the old file or the new one, never half of one.
 */
async function writePrivately(path, content) {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.chmod(0o600); // the umask may only have taken bits away; make it exact
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** The runner as public-api lists it (admin only), or undefined. */
export async function findRunner(api, adminToken, id) {
  const answer = await api.request('GET', '/v1/runners', adminToken);
  if (answer.status !== 200) {
    throw new StartError(
      `public-api refused to list runners (${answer.status}); ` +
        `check that ${adminTokenFileName} in the data folder holds this server's admin token.`,
    );
  }
  return answer.body.items.find((runner) => runner.id === id);
}

async function isRegistered(api, adminToken, id) {
  return (await findRunner(api, adminToken, id)) !== undefined;
}

async function readSaved(path) {
  let text;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const saved = JSON.parse(text);
    return typeof saved.id === 'string' && typeof saved.token === 'string' ? saved : undefined;
  } catch {
    return undefined; // A damaged file is replaced by a fresh registration.
  }
}
