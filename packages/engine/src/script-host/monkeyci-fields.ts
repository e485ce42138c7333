/**
 * MonkeyCI's job keys and what each means in Gibbon: renamed, converted, or refused with the
 * reason. Every key MonkeyCI's loader takes is here; one Gibbon cannot honour is refused by
 * name rather than dropped, as a job run without it would not be the job the file describes.
 */

/**
 * MonkeyCI's kebab-case (and `container/`) field names and the SDK's; any other field
 * (camelCase included) is taken as is. The one table both `gibbon verify` and the engine's
 * runs read.
 */
export const MONKEYCI_FIELD_NAMES: Readonly<Record<string, string>> = {
  dependencies: 'dependsOn',
  'depends-on': 'dependsOn',
  'save-artifacts': 'saveArtifacts',
  'restore-artifacts': 'restoreArtifacts',
  'work-dir': 'workDir',
  // MonkeyCI's blocked job waits until someone unblocks it: Gibbon's manual approval.
  blocked: 'approval',
  'container/image': 'image',
  'container/env': 'env',
  'container/cmd': 'command',
};

/** The SDK's name of a declarative field. */
export function sdkFieldName(field: string): string {
  return MONKEYCI_FIELD_NAMES[field] ?? field;
}

/** MonkeyCI keys Gibbon refuses, and why (each message says what to write instead). */
const REFUSED: Readonly<Record<string, string>> = {
  container: 'give the image as image (or container/image)',
  'container/entrypoint':
    "Gibbon keeps the image's entrypoint; run what you need with script or command",
  'container/mounts': 'a job sees its checkout and nothing else of the machine',
};

/** Why a MonkeyCI key is refused, or undefined for any other key. */
export function refusedMonkeyciField(field: string): string | undefined {
  const why = REFUSED[field];
  return why === undefined ? undefined : `\`${field}\` (MonkeyCI) is not supported: ${why}`;
}

const positive = (value: unknown) => typeof value === 'number' && value > 0;

/**
 * MonkeyCI's sizes: `size: N` is N CPUs and 2N GB, and `memory` (GB) and `cpus` are each on its
 * own, all as the SDK's `resources: { memoryMb, cpus }`. Two ways at once are refused, since
 * one would silently win.
 */
function moveResources(spec: Record<string, unknown>): string | undefined {
  const { memory, cpus, size } = spec;
  if (memory === undefined && cpus === undefined && size === undefined) return undefined;
  const ways = [size !== undefined, memory !== undefined || cpus !== undefined];
  if (spec.resources !== undefined || ways.every(Boolean)) {
    return 'give one of size, memory and cpus (MonkeyCI) or resources, not several';
  }
  if (size !== undefined && !(Number.isInteger(size) && positive(size))) {
    return 'size must be a whole number of CPUs (each with 2 GB)';
  }
  if (memory !== undefined && !positive(memory)) return 'memory must be a positive number of GB';
  if (cpus !== undefined && !positive(cpus)) return 'cpus must be a positive number';
  const gb = size === undefined ? (memory as number | undefined) : (size as number) * 2;
  const cores = size ?? cpus;
  delete spec.memory;
  delete spec.cpus;
  delete spec.size;
  spec.resources = {
    ...(gb === undefined ? {} : { memoryMb: Math.round(gb * 1024) }),
    ...(cores === undefined ? {} : { cpus: cores }),
  };
  return undefined;
}

const ARCHES: Readonly<Record<string, string>> = {
  amd: 'amd64',
  arm: 'arm64',
  'linux/amd64': 'amd64',
  'linux/arm64': 'arm64',
};

/** MonkeyCI's `arch: arm|amd` and `container/platform: linux/arm64` as the SDK's `arch`. */
function moveArch(spec: Record<string, unknown>): string | undefined {
  const platform = spec['container/platform'];
  if (platform !== undefined) {
    if (spec.arch !== undefined) return 'give arch or container/platform, not both';
    delete spec['container/platform'];
    const arch = typeof platform === 'string' ? ARCHES[platform] : undefined;
    if (!arch) return 'container/platform must be linux/amd64 or linux/arm64';
    spec.arch = arch;
  }
  if (typeof spec.arch === 'string') spec.arch = ARCHES[spec.arch] ?? spec.arch;
  return undefined;
}

/** `container/args` go after `container/cmd`'s argv, as MonkeyCI runs them. */
function moveArgs(spec: Record<string, unknown>): string | undefined {
  const args = spec['container/args'];
  if (args === undefined) return undefined;
  delete spec['container/args'];
  const list = (value: unknown): value is string[] =>
    Array.isArray(value) && value.every((item) => typeof item === 'string');
  if (!list(args)) return 'container/args must be a list of strings';
  if (!list(spec.command)) return 'container/args needs container/cmd (a list of strings) first';
  spec.command = [...spec.command, ...args];
  return undefined;
}

/** MonkeyCI's default and longest container job timeouts, in its unit (milliseconds). */
const MONKEYCI_TIMEOUT_MS = { default: 20 * 60 * 1000, max: 6 * 60 * 60 * 1000 };

/**
 * A MonkeyCI file's `timeout` is in milliseconds, MonkeyCI gives a job without one 20 minutes
 * and none more than 6 hours: the same here, in the SDK's seconds.
 */
function monkeyciTimeout(spec: Record<string, unknown>): string | undefined {
  const { timeout } = spec;
  if (timeout !== undefined && !(Number.isInteger(timeout) && positive(timeout))) {
    return 'timeout (MonkeyCI) must be a whole number of milliseconds';
  }
  const ms = Math.min(
    (timeout as number | undefined) ?? MONKEYCI_TIMEOUT_MS.default,
    MONKEYCI_TIMEOUT_MS.max,
  );
  spec.timeout = Math.ceil(ms / 1000);
  return undefined;
}

/**
 * Turns a job's MonkeyCI fields (already renamed) into the SDK's, in place; answers what is
 * wrong, and with which field, if anything. `monkeyciFile`: the job is in `.monkeyci/`, where
 * `timeout` means what it means to MonkeyCI.
 */
export function fromMonkeyci(
  spec: Record<string, unknown>,
  monkeyciFile: boolean,
): { field: string; message: string } | undefined {
  const steps: [string, (spec: Record<string, unknown>) => string | undefined][] = [
    ['size', moveResources],
    ['arch', moveArch],
    ['container/args', moveArgs],
    ...(monkeyciFile ? [['timeout', monkeyciTimeout] as [string, typeof monkeyciTimeout]] : []),
  ];
  for (const [field, step] of steps) {
    const message = step(spec);
    if (message) return { field, message };
  }
  return undefined;
}
