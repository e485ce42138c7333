import { constants } from 'node:fs';
import { chmod, mkdtemp, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { JOB_OUTPUT_NAME_PATTERN } from '@gibbon/contracts';
import type { JobLog } from '../logs/job-log';
import type { Masker } from '../masking/masker';

/** Where a container job writes its outputs: `$GIBBON_OUTPUT`, in a folder of its own. */
export const OUTPUT_MOUNT = '/gibbon/output';
export const OUTPUT_FILE = 'outputs.env';

/** All of a job's outputs together, in bytes; past it none are kept (the job says so). */
export const MAX_OUTPUT_BYTES = 64 * 1024;
const MAX_OUTPUTS = 100;

/** A fresh folder for one attempt's outputs file, writable by the container's user. */
export async function outputFolder(root: string): Promise<string> {
  const folder = await mkdtemp(join(root, 'outputs-'));
  // The container's user is not ours; the folder is private to the build's scratch space.
  await chmod(folder, 0o777);
  return folder;
}

export function removeOutputFolder(folder: string): Promise<void> {
  return rm(folder, { recursive: true, force: true });
}

/**
 * The `name=value` lines a container job wrote to `$GIBBON_OUTPUT`, masked. The file is the
 * container's: it is opened without following a link (a link to a file of the machine would
 * otherwise be read by the runner) and only when it is a plain file of at most 64 KiB. Blank
 * lines and `#` comments are skipped; a line that is no `name=value` is named in the log.
 */
export async function readOutputs(
  folder: string,
  masker: Masker,
  log: JobLog,
): Promise<Record<string, string> | undefined> {
  let handle;
  try {
    handle = await open(
      join(folder, OUTPUT_FILE),
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    log.system(`Outputs not read: $GIBBON_OUTPUT is not a plain file (${code ?? 'unreadable'}).`);
    return undefined;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      log.system('Outputs not read: $GIBBON_OUTPUT is not a plain file.');
      return undefined;
    }
    if (info.size > MAX_OUTPUT_BYTES) {
      log.system(
        `Outputs not kept: $GIBBON_OUTPUT holds ${info.size} bytes, over the ${MAX_OUTPUT_BYTES}-byte limit.`,
      );
      return undefined;
    }
    const text = (await handle.readFile()).subarray(0, MAX_OUTPUT_BYTES).toString('utf8');
    return parseOutputs(text, masker, log);
  } finally {
    await handle.close();
  }
}

/** `name=value` lines into outputs (the last of a name wins), masked; problems logged. */
export function parseOutputs(text: string, masker: Masker, log: JobLog): Record<string, string> {
  const outputs: Record<string, string> = {};
  text.split('\n').forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const equals = line.indexOf('=');
    const name = equals < 0 ? '' : line.slice(0, equals);
    if (!JOB_OUTPUT_NAME_PATTERN.test(name)) {
      log.system(
        `Output line ${index + 1} ignored: it is not name=value (a name is letters, digits and _).`,
      );
      return;
    }
    if (!(name in outputs) && Object.keys(outputs).length >= MAX_OUTPUTS) {
      log.system(`Output ${name} ignored: a job keeps at most ${MAX_OUTPUTS} outputs.`);
      return;
    }
    outputs[name] = masker.mask(line.slice(equals + 1));
  });
  return outputs;
}
