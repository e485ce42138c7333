import { posix } from 'node:path';
import { InputError } from '@gibbon/contracts';
import type { ContainerJobSpec } from './types';

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The job's work folder inside the container. A `workDir` that is absolute or climbs out of
 * the checkout with `..` is refused: it would let a job run (and write) outside its checkout.
 */
export function containerWorkDir(workFolder: string, workDir: string | undefined): string {
  if (workDir === undefined) return workFolder;
  const segments = workDir.split(/[/\\]/);
  if (workDir.includes('\0') || posix.isAbsolute(workDir) || segments.includes('..')) {
    throw new InputError(
      `workDir ${JSON.stringify(workDir)} must be a relative path inside the checkout, without '..'.`,
    );
  }
  return posix.join(workFolder, workDir);
}

/** `NAME=value` pairs; names that a shell could not read and NUL bytes are refused. */
export function containerEnv(env: Record<string, string> | undefined): string[] {
  return Object.entries(env ?? {}).map(([name, value]) => {
    if (!envName.test(name)) {
      throw new InputError(`Environment variable name ${JSON.stringify(name)} is not valid.`);
    }
    if (value.includes('\0')) {
      throw new InputError(`Environment variable ${name} contains a NUL byte.`);
    }
    return `${name}=${value}`;
  });
}

export function checkCommand(spec: ContainerJobSpec): void {
  const hasScript = spec.script !== undefined && spec.script.length > 0;
  const hasCommand = spec.command !== undefined && spec.command.length > 0;
  if (hasScript === hasCommand) {
    throw new InputError(`Job ${spec.jobId}: give exactly one of script or command.`);
  }
}
