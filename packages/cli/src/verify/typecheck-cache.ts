import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Size and mtime of every file of a folder tree: cheap, and changes when the SDK does. */
async function treeStamp(folder: string, hash: ReturnType<typeof createHash>): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') await treeStamp(path, hash);
      continue;
    }
    const info = await stat(path);
    hash.update(`${path}\0${info.size}\0${info.mtimeMs}\n`);
  }
}

/**
 * Remembers which build scripts type-checked clean, so `gibbon verify` of an unchanged script
 * skips the type-checker (seconds) on the next run. The key covers the contents of every file
 * the script is made of, the SDK's files and the TypeScript version; only successes are kept,
 * so a script with errors is always checked (and its errors always shown).
 */
export class TypeCheckCache {
  constructor(private readonly folder: string) {}

  static fromEnv(env: NodeJS.ProcessEnv): TypeCheckCache {
    const base = env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
    return new TypeCheckCache(join(base, 'gibbon', 'typecheck'));
  }

  async keyOf(inputs: readonly string[], sdkRoot: string): Promise<string> {
    const hash = createHash('sha256').update(`typescript ${typescriptVersion()}\n`);
    for (const input of [...inputs].sort()) {
      hash
        .update(`${input}\0`)
        .update(await readFile(input))
        .update('\0');
    }
    await treeStamp(sdkRoot, hash);
    return hash.digest('hex');
  }

  has(key: string): boolean {
    return existsSync(join(this.folder, key));
  }

  async remember(key: string): Promise<void> {
    const file = join(this.folder, key);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, '');
  }
}

/** The installed TypeScript's version, without loading the compiler. */
function typescriptVersion(): string {
  const manifest = readFileSync(require.resolve('typescript/package.json'), 'utf8');
  return (JSON.parse(manifest) as { version: string }).version;
}
