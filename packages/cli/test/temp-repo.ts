import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const author = ['-c', 'user.name=Ada Tester', '-c', 'user.email=ada@example.test'];

export function git(dir: string, args: string[]): string {
  return execFileSync('git', [...author, ...args], { cwd: dir, encoding: 'utf8' });
}

/** Writes `files` (path → content) under `dir`, creating folders. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

/** A fresh git repository on `main` holding `files` in one commit. */
export async function tempRepo(files: Record<string, string>, message = 'Initial commit') {
  const dir = await mkdtemp(join(tmpdir(), 'gibbon-cli-repo-'));
  git(dir, ['init', '-q', '-b', 'main']);
  await writeFiles(dir, files);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', message]);
  return dir;
}
