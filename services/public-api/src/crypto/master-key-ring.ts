import { createHmac } from 'node:crypto';
import { open, seal, SealedValueError } from './aead';

/** A master key and its id. */
export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

/** Where master keys come from: `master.key` in the data folder, or the environment. */
export type MasterKeySourceKind = 'file' | 'env';

/**
 * A source of master keys (see `master-key-stores.ts`).
 * Lifecycle of a rotation: `beginRotation` (gives the key to rotate to, making and saving it
 * when the source can) → every stored key is re-wrapped → `finishRotation` (the source stops
 * holding the other keys: the file source replaces `master.key`). Both are safe to call again
 * after an interruption and give the same key until a rotation finishes.
 */
export interface MasterKeySource {
  readonly kind: MasterKeySourceKind;
  /** Every key the source holds now; the first is its own choice for wrapping new keys. */
  load(): Promise<MasterKey[]>;
  beginRotation(): Promise<MasterKey>;
  finishRotation(next: MasterKey): Promise<void>;
}

/**
 * `mk_` + 16 hex digits of an HMAC-SHA256 keyed by the master key: names the key in the
 * database and the API, is the same in every process that holds the key, and says nothing
 * about the key to whoever lacks it.
 */
export function masterKeyIdOf(key: Buffer): string {
  const mac = createHmac('sha256', key).update('gibbon/master-key-id/v1').digest('hex');
  return `mk_${mac.slice(0, 16)}`;
}

export function masterKeyOf(key: Buffer): MasterKey {
  return { id: masterKeyIdOf(key), key };
}

/** A wrapped key names a master key this process does not hold. */
export class MissingMasterKeyError extends Error {}

/**
 * The master keys one process holds, by id. Which key wraps new keys is not decided here but
 * by the database (`MasterKeysService`), so that every process follows a rotation.
 * A key id not held is looked up in the source again once (another process may have rotated
 * to a key it saved beside `master.key`) before it is refused.
 */
export class MasterKeyRing {
  private readonly keys = new Map<string, Buffer>();

  private constructor(
    readonly source: MasterKeySource,
    /** The source's own choice for wrapping: used when the database names no key yet. */
    readonly preferredId: string,
  ) {}

  static async open(source: MasterKeySource): Promise<MasterKeyRing> {
    return MasterKeyRing.holding(source, await source.load());
  }

  /** A ring of `keys` already loaded from `source` (the first is the source's choice). */
  static holding(source: MasterKeySource, keys: readonly MasterKey[]): MasterKeyRing {
    const [preferred] = keys;
    if (!preferred) throw new Error('A master key source must hold at least one key.');
    const ring = new MasterKeyRing(source, preferred.id);
    for (const key of keys) ring.add(key);
    return ring;
  }

  ids(): string[] {
    return [...this.keys.keys()];
  }

  has(id: string): boolean {
    return this.keys.has(id);
  }

  add(key: MasterKey): void {
    this.keys.set(key.id, key.key);
  }

  drop(id: string): void {
    this.keys.delete(id);
  }

  async keyOf(id: string): Promise<Buffer> {
    const held = this.keys.get(id);
    if (held) return held;
    for (const key of await this.source.load()) this.add(key);
    const reloaded = this.keys.get(id);
    if (reloaded) return reloaded;
    throw new MissingMasterKeyError(
      `A stored key is wrapped by master key ${id}, which this process does not hold (it holds ${this.ids().join(', ')}); ${this.source.kind === 'env' ? 'start it with GIBBON_MASTER_KEY set to that key' : 'put the master.key file of that key back into the data folder'}.`,
    );
  }

  async wrap(id: string, plaintext: Buffer, context: string): Promise<string> {
    return seal(await this.keyOf(id), plaintext, context);
  }

  /**
   * Opens a key wrapped by master key `id`. A key stored before key ids were recorded has
   * none (`null`): every held key is tried (AES-GCM authentication tells the right one).
   */
  async unwrap(id: string | null, wrapped: string, context: string): Promise<Buffer> {
    if (id !== null) return open(await this.keyOf(id), wrapped, context);
    return this.unwrapUnnamed(wrapped, context).plaintext;
  }

  /** The key that opens a key stored without a key id, and what it opens to. */
  unwrapUnnamed(wrapped: string, context: string): { plaintext: Buffer; keyId: string } {
    for (const [keyId, key] of this.keys) {
      try {
        return { plaintext: open(key, wrapped, context), keyId };
      } catch (error) {
        if (!(error instanceof SealedValueError)) throw error;
      }
    }
    throw new MissingMasterKeyError(
      `A stored key (${context}) opens with none of the master keys this process holds (${this.ids().join(', ')}); start it with the master key the data was stored with.`,
    );
  }
}
