import { randomBytes } from 'node:crypto';
import { keyBytes, open, seal } from './aead';

/**
 * Envelope encryption: each org has its own random data key, stored only wrapped
 * (AES-256-GCM) by the master key, with the org slug as associated data so a wrapped key
 * copied to another org does not open. Secrets are sealed with the data key. Rotating the
 * master key then means re-wrapping one small key per org, not re-encrypting every secret.
 *
 * Unwrapped keys are cached for the life of the process; `forget` drops one (org deleted).
 */
export class DataKeys {
  private readonly unwrapped = new Map<string, Buffer>();

  constructor(
    private readonly masterKey: Buffer,
    private readonly loadWrapped: (org: string) => Promise<string | undefined>,
  ) {}

  /** A fresh data key for a new org, and its wrapped form to store with the org. */
  create(org: string): { key: Buffer; wrapped: string } {
    const key = randomBytes(keyBytes);
    return { key, wrapped: seal(this.masterKey, key, wrappingContext(org)) };
  }

  /** The org's data key; throws if the org has none (it is created with the org). */
  async keyOf(org: string): Promise<Buffer> {
    const cached = this.unwrapped.get(org);
    if (cached) return cached;
    const wrapped = await this.loadWrapped(org);
    if (wrapped === undefined) throw new Error(`The organisation "${org}" has no data key.`);
    const key = open(this.masterKey, wrapped, wrappingContext(org));
    this.unwrapped.set(org, key);
    return key;
  }

  forget(org: string): void {
    this.unwrapped.delete(org);
  }
}

function wrappingContext(org: string): string {
  return `gibbon/data-key/${org}`;
}

/** Associated data of a parameter value: binds it to its org, set and name. */
export function paramValueContext(org: string, setId: string, name: string): string {
  return `gibbon/param/${org}/${setId}/${name}`;
}

/** Associated data of a repository's GitHub token. */
export function githubTokenContext(org: string, repoId: string): string {
  return `gibbon/repo-github-token/${org}/${repoId}`;
}
