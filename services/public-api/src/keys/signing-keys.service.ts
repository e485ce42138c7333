import { randomBytes } from 'node:crypto';
import type { KeyRing, SigningKey } from '../auth';
import { signingKeyContext, type KeyWrapping } from '../crypto/key-wrapping';
import { newId } from '../ids';
import type { SigningKeysRepository, StoredSigningKey } from './signing-keys.repository';

export type SigningKeyPurpose = 'build';

/** A signing key as the admin API shows it (never its secret). */
export interface SigningKeyInfo {
  readonly kid: string;
  readonly purpose: SigningKeyPurpose;
  readonly createdAt: string;
  readonly retiresAt: string | null;
  readonly signs: boolean;
}

export interface SigningKeysOptions {
  /** The longest lifetime of a token these keys sign (build tokens: the build timeout). */
  readonly tokenLifetimeSeconds: number;
  /** The clock (tests move it); `Date.now` otherwise. */
  readonly now?: () => number;
}

/**
 * How long a process uses the keys it loaded before it reads them again: the bound on how
 * long another process keeps signing with a key after a rotation, or trusting a retired one.
 */
export const ringRefreshMs = 30_000;
/** A token naming a key id not in the ring reloads the ring at most this often. */
const unknownKidReloadMs = 1_000;
/** The JWT check's clock tolerance (auth/jwt.ts). */
const clockToleranceMs = 5_000;

interface LoadedRing {
  readonly ring: KeyRing;
  readonly keys: readonly StoredSigningKey[];
  readonly loadedAt: number;
  readonly validUntil: number;
}

/**
 * JWT signing keys, kept in the database wrapped by the master key. The newest key signs;
 * every key verifies until it retires. `rotate` adds a signing key and sets the others to
 * retire once every token they may have signed has expired: the longest token lifetime, plus
 * the time another process may still sign with its cached ring, plus the clock tolerance.
 * So a rotation never refuses a token already issued, and no old key verifies for ever.
 */
export class SigningKeysService {
  private readonly loaded = new Map<SigningKeyPurpose, Promise<LoadedRing>>();
  private readonly now: () => number;

  constructor(
    private readonly keys: SigningKeysRepository,
    private readonly wrapping: KeyWrapping,
    private readonly options: SigningKeysOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** How long after a rotation the previous keys keep verifying. */
  get retireAfterMs(): number {
    return this.options.tokenLifetimeSeconds * 1000 + ringRefreshMs + clockToleranceMs;
  }

  /** The keys of `purpose`: the current one signs, all of them verify. */
  async ring(purpose: SigningKeyPurpose): Promise<KeyRing> {
    return (await this.load(purpose)).ring;
  }

  /**
   * The ring to verify a token whose header names `kid`. A key id the ring lacks may be a key
   * another process rotated to meanwhile: the ring is read again (at most once a second, so
   * made-up key ids cannot make every request a database read).
   */
  async ringFor(purpose: SigningKeyPurpose, kid: string | undefined): Promise<KeyRing> {
    const current = await this.load(purpose);
    if (kid === undefined || current.ring.verifying.has(kid)) return current.ring;
    if (this.now() - current.loadedAt < unknownKidReloadMs) return current.ring;
    this.loaded.delete(purpose);
    return (await this.load(purpose)).ring;
  }

  async list(purpose: SigningKeyPurpose): Promise<SigningKeyInfo[]> {
    this.loaded.delete(purpose);
    const { keys } = await this.load(purpose);
    return keys.map((key, index) => ({
      kid: key.kid,
      purpose,
      createdAt: key.createdAt,
      retiresAt: key.retiredAt,
      signs: index === 0,
    }));
  }

  /**
   * Adds a key that signs from now on. The others keep verifying for `retireAfterMs`, or stop
   * at once with `retireOthersNow` (a leaked key). Returns the new key id.
   */
  async rotate(
    purpose: SigningKeyPurpose,
    { retireOthersNow = false }: { retireOthersNow?: boolean } = {},
  ): Promise<string> {
    const kid = newId('key');
    const now = this.now();
    const retireOthersAt = new Date(retireOthersNow ? now : now + this.retireAfterMs);
    const secret = randomBytes(32);
    await this.keys.insert(
      { kid, purpose, algorithm: 'HS256', createdAt: new Date(now).toISOString() },
      (tx) => this.wrapping.wrapInside(tx, secret, signingKeyContext(purpose, kid)),
      retireOthersAt.toISOString(),
    );
    this.loaded.delete(purpose);
    return kid;
  }

  /** Stops `kid` from verifying now. */
  async retire(purpose: SigningKeyPurpose, kid: string): Promise<void> {
    await this.keys.retire(kid, new Date(this.now()).toISOString());
    this.loaded.delete(purpose);
  }

  /** The cached ring while it is valid; concurrent callers share one load. */
  private load(purpose: SigningKeyPurpose): Promise<LoadedRing> {
    const cached = this.loaded.get(purpose);
    if (cached) {
      return cached.then((ring) => (this.now() < ring.validUntil ? ring : this.reload(purpose)));
    }
    return this.reload(purpose);
  }

  private reload(purpose: SigningKeyPurpose): Promise<LoadedRing> {
    const loading = this.read(purpose);
    this.loaded.set(purpose, loading);
    loading.catch(() => this.loaded.delete(purpose));
    return loading;
  }

  private async read(purpose: SigningKeyPurpose): Promise<LoadedRing> {
    const loadedAt = this.now();
    let stored = await this.keys.listVerifying(purpose, new Date(loadedAt).toISOString());
    if (stored.length === 0) {
      await this.rotate(purpose);
      stored = await this.keys.listVerifying(purpose, new Date(loadedAt).toISOString());
    }
    const keys: SigningKey[] = await Promise.all(
      stored.map(async (key) => ({
        kid: key.kid,
        secret: await this.wrapping.unwrap(key.secret, signingKeyContext(purpose, key.kid)),
      })),
    );
    const [current] = keys;
    if (!current) throw new Error(`No ${purpose} signing key could be created.`);
    const retirements = stored.flatMap((key) => (key.retiredAt ? [Date.parse(key.retiredAt)] : []));
    return {
      ring: { current, verifying: new Map(keys.map((key) => [key.kid, key])) },
      keys: stored,
      loadedAt,
      validUntil: Math.min(loadedAt + ringRefreshMs, ...retirements),
    };
  }
}
