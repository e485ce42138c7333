/**
 * `job.saveArtifact` / `job.restoreArtifact`: a tar.gz streamed to and from the runner.
 * The archive holds the contents of the artifact's path: the files of a folder relative to that
 * folder, or a single file under its own name; restoring unpacks into the given path (created
 * if needed). The system `tar` does the packing (no dependency in every script bundle); it runs
 * as argv, never through a shell, and refuses members that climb out with `..`.
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ARTIFACT_ID_PATTERN, hiddenFilesWarning, InputError } from '../contracts';
import type { ScriptApi } from '../client/script-api-client';
import { resolveInCheckout } from './paths';

export interface ArtifactDeps {
  readonly api: Pick<ScriptApi, 'uploadArtifact' | 'downloadArtifact'>;
  readonly checkout: string;
  readonly signal: AbortSignal;
  /** A line for the job's log (the hidden files an artifact holds); none: not said. */
  readonly log?: (line: string) => void;
}

/** Hidden files under `folder` (relative, in name order), each hidden folder once with "/". */
async function hiddenEntries(folder: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(join(folder, prefix), { withFileTypes: true });
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const name = prefix + entry.name;
    if (entry.name.startsWith('.')) found.push(entry.isDirectory() ? `${name}/` : name);
    else if (entry.isDirectory()) found.push(...(await hiddenEntries(folder, `${name}/`)));
  }
  return found;
}

function checkArtifactId(id: string): void {
  if (typeof id !== 'string' || !ARTIFACT_ID_PATTERN.test(id)) {
    throw new InputError(
      `Artifact id ${JSON.stringify(id)} is not valid (1–100 letters, digits, '_', '.', '-'; no '..').`,
    );
  }
}

/** Settles with tar's exit; rejects naming the artifact and tar's own complaint. */
function tarExit(tar: ReturnType<typeof spawn>, action: string): Promise<void> {
  let stderr = '';
  tar.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
  return new Promise((resolve, reject) => {
    tar.once('error', (error) =>
      reject(new Error(`Could not run tar to ${action}: ${error.message}`, { cause: error })),
    );
    tar.once('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`tar failed to ${action} (exit code ${code}): ${stderr.trim()}`)),
    );
  });
}

export async function saveArtifact(deps: ArtifactDeps, id: string, path: string): Promise<void> {
  checkArtifactId(id);
  const source = await resolveInCheckout(deps.checkout, path, `artifact "${id}" path`);
  const info = await stat(source).catch(() => undefined);
  if (!info) throw new InputError(`Artifact "${id}": nothing to save at ${JSON.stringify(path)}.`);
  const [folder, member] = info.isDirectory() ? [source, '.'] : [dirname(source), basename(source)];
  const tar = spawn('tar', ['-czf', '-', '-C', folder, '--', member], {
    stdio: ['ignore', 'pipe', 'pipe'],
    signal: deps.signal,
  });
  const exited = tarExit(tar, `pack artifact "${id}"`);
  await Promise.all([deps.api.uploadArtifact(id, tar.stdout, deps.signal), exited]);
  const hidden = info.isDirectory()
    ? await hiddenEntries(source)
    : member.startsWith('.')
      ? [member]
      : [];
  if (hidden.length > 0) deps.log?.(hiddenFilesWarning(id, hidden));
}

export async function restoreArtifact(deps: ArtifactDeps, id: string, path: string): Promise<void> {
  checkArtifactId(id);
  const target = await resolveInCheckout(deps.checkout, path, `artifact "${id}" path`);
  const archive = await deps.api.downloadArtifact(id, deps.signal);
  await mkdir(target, { recursive: true });
  const tar = spawn(
    'tar',
    ['-xzf', '-', '-C', target, '--no-same-owner', '--no-same-permissions'],
    {
      stdio: ['pipe', 'ignore', 'pipe'],
      signal: deps.signal,
    },
  );
  const exited = tarExit(tar, `unpack artifact "${id}"`);
  await Promise.all([pipeline(archive, tar.stdin), exited]);
}
