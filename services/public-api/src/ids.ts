import { randomBytes } from 'node:crypto';

/** A server-made id: a short type prefix and 96 random bits, URL- and file-name-safe. */
export function newId(
  prefix:
    'repo' | 'ps' | 'tok' | 'run' | 'key' | 'wh' | 'bld' | 'lease' | 'aud' | 'sch' | 'snd' | 'rrt',
): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

export function nowIso(): string {
  return new Date().toISOString();
}
