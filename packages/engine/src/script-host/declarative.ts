import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { UnprocessableError } from '@gibbon/contracts/core';
import type { BuildFile } from './locate';

/** A container job of a declarative build file, in the SDK's field names. */
interface DeclaredJob {
  id: string;
  spec: Record<string, unknown>;
}

/** MonkeyCI's kebab-case names and their Gibbon equivalents; camelCase is accepted as is. */
const renamed: Record<string, string> = {
  dependencies: 'dependsOn',
  'depends-on': 'dependsOn',
  'save-artifacts': 'saveArtifacts',
  'restore-artifacts': 'restoreArtifacts',
  'work-dir': 'workDir',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jobsOf(document: unknown, name: string): unknown[] {
  if (Array.isArray(document)) return document;
  if (isRecord(document) && Array.isArray(document.jobs)) return document.jobs;
  throw new UnprocessableError(`${name} must be a list of container jobs (or { jobs: [...] }).`);
}

function declaredJob(entry: unknown, index: number, name: string): DeclaredJob {
  if (!isRecord(entry) || typeof entry.id !== 'string') {
    throw new UnprocessableError(`${name}: job ${index + 1} needs a string id.`);
  }
  const spec: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(entry)) {
    if (field !== 'id') spec[renamed[field] ?? field] = value;
  }
  return { id: entry.id, spec };
}

/**
 * Turns a declarative build file (`.gibbon/build.yaml|yml|json`, `.monkeyci/build.*`) into a
 * TypeScript module of `container()` jobs, written under `folder`, so it runs through the
 * same compile, runtime and graph checks as a script. The jobs travel as a JSON literal, so
 * nothing in the file is ever code. The SDK checks every field with a message naming the job.
 */
export async function declarativeModule(buildFile: BuildFile, folder: string): Promise<string> {
  const text = await readFile(buildFile.path, 'utf8');
  let document: unknown;
  try {
    document = buildFile.path.endsWith('.json') ? JSON.parse(text) : parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UnprocessableError(`${buildFile.name} is not valid: ${reason}`, { cause: error });
  }
  const jobs = jobsOf(document, buildFile.name).map((entry, i) =>
    declaredJob(entry, i, buildFile.name),
  );
  const source = [
    "import { container } from '@gibbon/sdk';",
    `const jobs = ${JSON.stringify(jobs)};`,
    'export default jobs.map((job) => container(job.id, job.spec as never));',
    '',
  ].join('\n');
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const moduleFolder = join(folder, `declarative-${hash}`);
  await mkdir(moduleFolder, { recursive: true });
  const modulePath = join(moduleFolder, 'build.ts');
  await writeFile(modulePath, source);
  return modulePath;
}
