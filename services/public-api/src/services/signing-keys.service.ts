import { randomBytes } from 'node:crypto';
import { open, seal } from '../crypto/aead';
import type { KeyRing, SigningKey } from '../auth/jwt';
import { newId, nowIso } from '../ids';
import type { SigningKeysRepository } from '../repositories/signing-keys.repository';

export type SigningKeyPurpose = 'build';

/**
 * JWT signing keys, kept in the database wrapped by the master key. The newest active key
 * signs; every active key verifies, so `rotate` never invalidates tokens already issued, and
 * `retire` (after the longest token lifetime has passed) removes an old key from verification.
 */
export class SigningKeysService {
  private readonly rings = new Map<SigningKeyPurpose, KeyRing>();

  constructor(
    private readonly keys: SigningKeysRepository,
    private readonly masterKey: Buffer,
  ) {}

  async ring(purpose: SigningKeyPurpose): Promise<KeyRing> {
    const cached = this.rings.get(purpose);
    if (cached) return cached;
    let stored = await this.keys.listActive(purpose);
    if (stored.length === 0) {
      await this.rotate(purpose);
      stored = await this.keys.listActive(purpose);
    }
    const keys: SigningKey[] = stored.map((key) => ({
      kid: key.kid,
      secret: open(this.masterKey, key.wrappedSecret, context(purpose, key.kid)),
    }));
    const [current] = keys;
    if (!current) throw new Error(`No active ${purpose} signing key could be created.`);
    const ring: KeyRing = { current, verifying: new Map(keys.map((key) => [key.kid, key])) };
    this.rings.set(purpose, ring);
    return ring;
  }

  /** Adds a new key that signs from now on; older keys keep verifying. */
  async rotate(purpose: SigningKeyPurpose): Promise<void> {
    const kid = newId('key');
    await this.keys.insert({
      kid,
      purpose,
      algorithm: 'HS256',
      wrappedSecret: seal(this.masterKey, randomBytes(32), context(purpose, kid)),
      createdAt: nowIso(),
    });
    this.rings.delete(purpose);
  }

  async retire(purpose: SigningKeyPurpose, kid: string): Promise<void> {
    await this.keys.retire(kid, nowIso());
    this.rings.delete(purpose);
  }
}

function context(purpose: SigningKeyPurpose, kid: string): string {
  return `gibbon/signing-key/${purpose}/${kid}`;
}
