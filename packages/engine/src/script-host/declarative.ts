import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UnprocessableError } from '@gibbon/contracts';
import type { BuildFile } from './locate';

/**
 * Turns a declarative build file (`.gibbon/build.yaml|yml|json`, or every `.monkeyci/build.*`
 * together) into a
 * TypeScript module of container jobs (`declaredJobs`: matrices expanded, `when` conditions
 * made predicates), written under `folder`, so it runs through the
 * same compile, runtime and graph checks as a script. The jobs travel as a JSON literal, so
 * nothing in the file is ever code. The SDK checks every field with a message naming the job.
 */
export async function declarativeModule(buildFile: BuildFile, folder: string): Promise<string> {
  // The YAML parser loads with the first declarative file; scripts in TypeScript never need it.
  const { readDeclarativeFiles } = await import('./declarative-read.js');
  const parsed = await readDeclarativeFiles(buildFile.files);
  if (!parsed.ok) {
    const names = buildFile.files.map((file) => file.name).join(' and ');
    throw new UnprocessableError(`${names} is not valid: ${parsed.problems.join('; ')}`);
  }
  const jobs = parsed.jobs.map(({ id, spec }) => ({ id, spec }));
  const source = [
    "import { declaredJobs } from '@gibbon/sdk';",
    `const jobs = ${JSON.stringify(jobs)};`,
    'export default declaredJobs(jobs);',
    '',
  ].join('\n');
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const moduleFolder = join(folder, `declarative-${hash}`);
  await mkdir(moduleFolder, { recursive: true });
  const modulePath = join(moduleFolder, 'build.ts');
  await writeFile(modulePath, source);
  return modulePath;
}
