import { randomBytes } from 'node:crypto';
import type { Tx } from '../db/transactions';
import { keyBytes } from './aead';
import { dataKeyContext, type KeyWrapping, type WrappedKey } from './key-wrapping';

/**
 * Envelope encryption: each org has its own random data key, stored only wrapped
 * (AES-256-GCM) by the master key, with the org slug as associated data so a wrapped key
 * copied to another org does not open. Secrets are sealed with the data key. Rotating the
 * master key then means re-wrapping one small key per org, not re-encrypting every secret;
 * the data key itself stays the same, so a rotation leaves this cache valid.
 *
 * Unwrapped keys are cached for the life of the process; `forget` drops one (org deleted).
 */
export class DataKeys {
  private readonly unwrapped = new Map<string, Buffer>();

  constructor(
    private readonly wrapping: KeyWrapping,
    private readonly loadWrapped: (org: string) => Promise<WrappedKey | undefined>,
  ) {}

  /** A fresh data key for a new org, and how to wrap it in the transaction that stores it. */
  create(org: string): { key: Buffer; wrap: (trx: Tx) => Promise<WrappedKey> } {
    const key = randomBytes(keyBytes);
    return { key, wrap: (trx) => this.wrapping.wrapInside(trx, key, dataKeyContext(org)) };
  }

  /** The org's data key; throws if the org has none (it is created with the org). */
  async keyOf(org: string): Promise<Buffer> {
    const cached = this.unwrapped.get(org);
    if (cached) return cached;
    const wrapped = await this.loadWrapped(org);
    if (wrapped === undefined) throw new Error(`The organisation "${org}" has no data key.`);
    const key = await this.wrapping.unwrap(wrapped, dataKeyContext(org));
    this.unwrapped.set(org, key);
    return key;
  }

  forget(org: string): void {
    this.unwrapped.delete(org);
  }
}

/** Associated data of a parameter value: binds it to its org, set and name. */
export function paramValueContext(org: string, setId: string, name: string): string {
  return `gibbon/param/${org}/${setId}/${name}`;
}

/** Associated data of a repository's GitHub token. */
export function githubTokenContext(org: string, repoId: string): string {
  return `gibbon/repo-github-token/${org}/${repoId}`;
}
