import type { Request } from 'express';
import { ARTIFACT_ID_PATTERN, InputError } from '@gibbon/contracts';

/** The `CacheKey` schema of the Script API document (a test holds the two equal). */
export const CACHE_KEY_PATTERN = /^[0-9a-f]{8,128}$/;

/**
 * The artifact and cache routes are left out of the OpenAPI validator, which would try to read
 * their tar.gz bodies as documents; so their path and query are checked here, by the rules of
 * the same document (`ArtifactId`: no `..`; `CacheKey`). The storage key builders accept more
 * (an id with `..` inside is a harmless file name to them), which is how `x..y` got through.
 */
export function storageIdOf(req: Request, what: 'Artifact' | 'Cache'): string {
  const id = String(req.params.id);
  if (!ARTIFACT_ID_PATTERN.test(id)) {
    throw new InputError(
      `${what} id ${JSON.stringify(id.slice(0, 100))} is not valid: use 1 to 100 letters, ` +
        `digits, "_", "." or "-", starting with a letter or digit, and no "..".`,
    );
  }
  return id;
}

/** The `key` query of a cache route (absent: the cache has no key files). */
export function cacheKeyOf(req: Request): string | undefined {
  const { key } = req.query;
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !CACHE_KEY_PATTERN.test(key)) {
    throw new InputError(
      'The cache key must be 8 to 128 lower-case hex digits (the key files’ hash).',
    );
  }
  return key;
}
