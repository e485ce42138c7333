import { InputError } from '@gibbon/contracts';

/**
 * Every storage key is built here from validated ids (spec section 7), and every key a store
 * receives is checked again by `validateKey`, so no user string reaches a key or a file path
 * unchecked.
 */

/** S3's limit on key length, applied to every store so both behave the same. */
export const MAX_KEY_BYTES = 1024;
/** The usual file-name limit (ext4, xfs, APFS); on S3 too, so keys move between stores. */
export const MAX_SEGMENT_BYTES = 255;

/** Org and repo slugs, job, artifact, cache and workspace ids. */
const ID_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/;
/** Cache hashes carry no `-`, so `{id}-{hash}` splits at its last `-` without ambiguity. */
const HASH_PATTERN = /^[a-z0-9]{1,128}$/;
/** Zero-padded so that listing a job's chunks in key order returns them in numeric order. */
const SEQ_DIGITS = 10;
// eslint-disable-next-line no-control-regex -- refusing control characters is the point.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

export interface RepoRef {
  org: string;
  repo: string;
}

export interface BuildRef extends RepoRef {
  build: number;
}

export interface JobRef extends BuildRef {
  job: string;
}

function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

/** Refuses anything that could escape the store's namespace or differ between stores. */
export function validateKey(key: string): string {
  checkPath(key, 'key');
  if (key.endsWith('/')) throw new InputError(`Storage key ${quote(key)} ends with "/".`);
  return key;
}

/** Like `validateKey`, but `''` (everything) and a trailing `/` are allowed. */
export function validatePrefix(prefix: string): string {
  if (prefix === '') return prefix;
  checkPath(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix, 'prefix');
  return prefix;
}

function checkPath(path: string, what: 'key' | 'prefix'): void {
  if (typeof path !== 'string' || path === '') {
    throw new InputError(`Storage ${what} must be a non-empty string.`);
  }
  if (Buffer.byteLength(path, 'utf8') > MAX_KEY_BYTES) {
    throw new InputError(`Storage ${what} ${quote(path)} is longer than ${MAX_KEY_BYTES} bytes.`);
  }
  if (CONTROL_CHARACTER.test(path)) {
    throw new InputError(`Storage ${what} ${quote(path)} contains a NUL or control character.`);
  }
  if (path.includes('\\')) {
    throw new InputError(`Storage ${what} ${quote(path)} contains a backslash.`);
  }
  if (path.startsWith('/')) {
    throw new InputError(`Storage ${what} ${quote(path)} is an absolute path.`);
  }
  for (const segment of path.split('/')) {
    if (segment === '') {
      throw new InputError(`Storage ${what} ${quote(path)} has an empty path segment.`);
    }
    if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES) {
      throw new InputError(
        `Storage ${what} ${quote(path)} has a segment longer than ${MAX_SEGMENT_BYTES} bytes.`,
      );
    }
    if (segment === '.' || segment === '..') {
      throw new InputError(`Storage ${what} ${quote(path)} contains a "${segment}" segment.`);
    }
  }
}

/** Checks one id (slug) against the id charset: letters, digits, `.`, `_`, `-`; 100 at most. */
export function validateId(value: string, what: string): string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
    throw new InputError(
      `${what} ${quote(String(value))} is not a valid id: use 1 to 100 letters, digits, ` +
        `".", "_" or "-", starting with a letter, digit or "_".`,
    );
  }
  return value;
}

function validatePositive(value: number, what: string): string {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InputError(`${what} ${String(value)} is not a positive integer.`);
  }
  return String(value);
}

function validateBuildNumber(build: number): string {
  return validatePositive(build, 'Build number');
}

function validateSeq(seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 0 || seq >= 10 ** SEQ_DIGITS) {
    throw new InputError(`Log chunk sequence ${String(seq)} is not an integer in [0, 1e10).`);
  }
  return String(seq).padStart(SEQ_DIGITS, '0');
}

function validateHash(hash: string): string {
  if (typeof hash !== 'string' || !HASH_PATTERN.test(hash)) {
    throw new InputError(
      `Cache hash ${quote(String(hash))} must be 1 to 128 lower-case letters or digits.`,
    );
  }
  return hash;
}

function repoPath({ org, repo }: RepoRef): string {
  return `${validateId(org, 'Organisation')}/${validateId(repo, 'Repository')}`;
}

function buildPath(ref: BuildRef): string {
  return `${repoPath(ref)}/${validateBuildNumber(ref.build)}`;
}

/**
 * `logs/{org}/{repo}/{build}/{job}/{attempt}/{seq}.log`, seq zero-padded to 10 digits. The
 * attempt is the runner's claim of the build (a re-queue makes the second): attempts never
 * share a key, so a fenced runner's late write can't replace a chunk of the run after it.
 */
export function logChunkKey(ref: JobRef & { attempt: number; seq: number }): string {
  const job = `${buildPath(ref)}/${validateId(ref.job, 'Job id')}`;
  const attempt = validatePositive(ref.attempt, 'Attempt');
  return validateKey(`logs/${job}/${attempt}/${validateSeq(ref.seq)}.log`);
}

/** The prefix of one job's log chunks, or of every job of a build when `job` is omitted. */
export function logPrefix(ref: BuildRef & { job?: string }): string {
  const job = ref.job === undefined ? '' : `${validateId(ref.job, 'Job id')}/`;
  return validatePrefix(`logs/${buildPath(ref)}/${job}`);
}

/** `artifacts/{org}/{repo}/{build}/{id}.tar.gz` */
export function artifactKey(ref: BuildRef & { id: string }): string {
  return validateKey(`artifacts/${buildPath(ref)}/${validateId(ref.id, 'Artifact id')}.tar.gz`);
}

/** The prefix under which `artifactKey` puts the artifacts of one build. */
export function artifactPrefix(ref: BuildRef): string {
  return validatePrefix(`artifacts/${buildPath(ref)}/`);
}

/** `caches/{org}/{repo}/{id}-{hash}.tar.gz` */
export function cacheKey(ref: RepoRef & { id: string; hash: string }): string {
  const name = `${validateId(ref.id, 'Cache id')}-${validateHash(ref.hash)}`;
  return validateKey(`caches/${repoPath(ref)}/${name}.tar.gz`);
}

/**
 * The prefix of the caches of a repository whose `{id}-{hash}` name starts with `start`
 * (a cache's restore key): `caches/{org}/{repo}/{start}`.
 */
export function cachePrefix(ref: RepoRef & { start: string }): string {
  return validatePrefix(`caches/${repoPath(ref)}/${validateId(ref.start, 'Cache restore key')}`);
}

/** `workspaces/{org}/{repo}/{build}/{id}.tar.gz`: a job's workspace handed to later jobs. */
export function workspaceKey(ref: BuildRef & { id: string }): string {
  return validateKey(`workspaces/${buildPath(ref)}/${validateId(ref.id, 'Workspace id')}.tar.gz`);
}

/** Everything stored for one build, for clean-up when the build is deleted. */
export function buildPrefixes(ref: BuildRef): string[] {
  const path = buildPath(ref);
  return [`logs/${path}/`, `artifacts/${path}/`, `workspaces/${path}/`];
}
