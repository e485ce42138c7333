import { createHash, randomBytes } from 'node:crypto';

/**
 * Opaque bearer secrets. The prefix says which table a secret belongs to (so a lookup is one
 * indexed query) and lets secret scanners recognise a leaked token; the 256 random bits after
 * it make the secret unguessable, which is why a plain SHA-256 (not a slow password hash) is
 * the right thing to store and to look up by.
 */
export type OpaqueTokenKind = 'admin' | 'org' | 'runner' | 'registration';

const prefixes = {
  admin: 'gbn_admin_',
  org: 'gbn_org_',
  runner: 'gbn_runner_',
  registration: 'gbn_registration_',
} as const satisfies Record<OpaqueTokenKind, string>;

const secretPattern = /^gbn_(admin|org|runner|registration)_[A-Za-z0-9_-]{43}$/;

export function generateOpaqueToken(kind: OpaqueTokenKind): string {
  return prefixes[kind] + randomBytes(32).toString('base64url');
}

export function hashOpaqueToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The kind of a well-formed opaque secret, or `undefined` for anything else. */
export function opaqueTokenKindOf(secret: string): OpaqueTokenKind | undefined {
  const match = secretPattern.exec(secret);
  return match?.[1] as OpaqueTokenKind | undefined;
}
