import { readFile } from 'node:fs/promises';
import { parseDeclarativeFiles, type DeclarativeFilesParse } from './declarative-parse';
import type { BuildFile } from './locate';

/** Reads and parses every declarative file of a build (`BuildFile.files`), in order. */
export async function readDeclarativeFiles(
  files: BuildFile['files'],
): Promise<DeclarativeFilesParse> {
  const sources = await Promise.all(
    files.map(async ({ path, name }) => ({ name, text: await readFile(path, 'utf8') })),
  );
  return parseDeclarativeFiles(sources);
}
