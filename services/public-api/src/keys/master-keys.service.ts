import { ConflictError } from '@gibbon/contracts';
import { seal } from '../crypto/aead';
import {
  dataKeyContext,
  signingKeyContext,
  type KeyWrapping,
  type WrappedKey,
} from '../crypto/key-wrapping';
import { MasterKeyError } from '../crypto/master-key';
import {
  masterKeyOf,
  MasterKeyRing,
  MissingMasterKeyError,
  type MasterKey,
  type MasterKeySourceKind,
} from '../crypto/master-key-ring';
import { masterKeyFromEnvironment } from '../crypto/master-key-stores';
import type { Tx } from '../db/transactions';
import type { Store } from '../store';
import type { WrappedKeyCount, WrappedKeyRow } from './wrapped-keys.repository';

export interface MasterKeyRotationResult {
  readonly keyId: string;
  readonly source: MasterKeySourceKind;
  readonly retiredKeyIds: string[];
  readonly rewrapped: { dataKeys: number; signingKeys: number };
}

export interface MasterKeyStatusResult {
  readonly keyId: string;
  readonly source: MasterKeySourceKind;
  readonly heldKeyIds: string[];
  readonly wrapped: WrappedKeyCount[];
}

/** Keys re-wrapped per transaction: short transactions, so requests keep being served. */
const rewrapBatch = 100;

/**
 * The master key in use: wraps and opens stored keys (`KeyWrapping`), checks at start that
 * every stored key opens, and rotates (docs/adr/0003-secrets-envelope-encryption.md).
 *
 * A rotation: the source gives the new key (the file source saves it first) → the database's
 * current key is switched to it, so every process wraps new keys with it → every stored key
 * not yet under it is re-wrapped, a batch per transaction, each update only if the row still
 * holds what was read → the source drops the old key. Every wrapped key names its master key,
 * and the process holds both keys until the end, so every key opens at every moment.
 */
export class MasterKeysService implements KeyWrapping {
  private rotation: Promise<MasterKeyRotationResult> | undefined;

  constructor(
    private readonly store: Store,
    private readonly ring: MasterKeyRing,
  ) {}

  get source(): MasterKeySourceKind {
    return this.ring.source.kind;
  }

  async wrapInside(trx: Tx, plaintext: Buffer, context: string): Promise<WrappedKey> {
    let keyId = await this.store.masterKeyState.current(trx, true);
    if (keyId === undefined) {
      await this.store.masterKeyState.initialise(
        trx,
        this.ring.preferredId,
        new Date().toISOString(),
      );
      keyId = (await this.store.masterKeyState.current(trx, true)) ?? this.ring.preferredId;
    }
    return { wrapped: await this.ring.wrap(keyId, plaintext, context), masterKeyId: keyId };
  }

  unwrap(key: WrappedKey, context: string): Promise<Buffer> {
    return this.ring.unwrap(key.masterKeyId, key.wrapped, context);
  }

  /**
   * At start: names the master key of keys stored before key ids, refuses (MasterKeyError)
   * when a stored key is wrapped by a master key this process lacks, and makes sure the
   * database names a current key this process holds. Returns notes worth logging.
   */
  async prepare(): Promise<string[]> {
    try {
      for (const row of await this.store.wrappedKeys.unnamed()) {
        const { keyId } = this.ring.unwrapUnnamed(row.wrapped, contextOf(row));
        await this.store.transaction(({ trx }) =>
          this.store.wrappedKeys.replace(trx, row, row.wrapped, keyId),
        );
      }
      for (const { masterKeyId } of await this.store.wrappedKeys.countsByMasterKey()) {
        await this.ring.keyOf(masterKeyId);
      }
    } catch (error) {
      if (!(error instanceof MissingMasterKeyError)) throw error;
      throw new MasterKeyError(error.message, { cause: error });
    }
    const current = await this.store.masterKeyState.current();
    const now = new Date().toISOString();
    if (current === undefined)
      await this.store.masterKeyState.initialise(this.store.db, this.ring.preferredId, now);
    else if (!this.ring.has(current))
      await this.store.masterKeyState.switchTo(this.ring.preferredId, now);
    return this.startNotes(current);
  }

  /** One rotation at a time in this process; a second call waits for the same one. */
  rotate(): Promise<MasterKeyRotationResult> {
    this.rotation ??= this.runRotation().finally(() => (this.rotation = undefined));
    return this.rotation;
  }

  async status(): Promise<MasterKeyStatusResult> {
    return {
      keyId: (await this.store.masterKeyState.current()) ?? this.ring.preferredId,
      source: this.source,
      heldKeyIds: this.ring.ids(),
      wrapped: await this.store.wrappedKeys.countsByMasterKey(),
    };
  }

  private async runRotation(): Promise<MasterKeyRotationResult> {
    const next = await this.ring.source.beginRotation();
    this.ring.add(next);
    const startedAt = new Date().toISOString();
    await this.store.masterKeyState.switchTo(next.id, startedAt);
    // Keys past retirement verify nothing: deleted rather than carried to the new key.
    await this.store.wrappedKeys.deleteRetiredSigningKeys(startedAt);
    let rewrapped: MasterKeyRotationResult['rewrapped'];
    try {
      rewrapped = await this.rewrapAll(next);
    } catch (error) {
      if (!(error instanceof MissingMasterKeyError)) throw error;
      throw new ConflictError(error.message, { cause: error });
    }
    await this.ring.source.finishRotation(next);
    const retiredKeyIds = this.ring.ids().filter((id) => id !== next.id);
    // The key file of a retired key is gone; GIBBON_MASTER_KEY_PREVIOUS stays until removed.
    if (this.source === 'file') for (const id of retiredKeyIds) this.ring.drop(id);
    return { keyId: next.id, source: this.source, retiredKeyIds, rewrapped };
  }

  private async rewrapAll(next: MasterKey): Promise<MasterKeyRotationResult['rewrapped']> {
    const counts = { dataKeys: 0, signingKeys: 0 };
    for (let stalled = 0; ;) {
      const rows = await this.store.wrappedKeys.notUnder(next.id, rewrapBatch);
      if (rows.length === 0) return counts;
      const rewrapped = await Promise.all(
        rows.map(async (row) => {
          const plaintext = await this.ring.unwrap(row.masterKeyId, row.wrapped, contextOf(row));
          return { row, wrapped: seal(next.key, plaintext, contextOf(row)) };
        }),
      );
      const replaced = await this.store.transaction(async ({ trx }) => {
        const done: WrappedKeyRow[] = [];
        for (const { row, wrapped } of rewrapped) {
          if (await this.store.wrappedKeys.replace(trx, row, wrapped, next.id)) done.push(row);
        }
        return done;
      });
      for (const row of replaced) counts[row.kind === 'data' ? 'dataKeys' : 'signingKeys'] += 1;
      // Rows that changed between the read and the update are read again; only rows that
      // change every time could keep this loop going.
      stalled = replaced.length === 0 ? stalled + 1 : 0;
      if (stalled >= 3) {
        throw new ConflictError(
          'The stored keys kept changing during the master key rotation; run the rotation again.',
        );
      }
    }
  }

  private startNotes(before: string | undefined): string[] {
    const held = this.ring.ids();
    if (before === undefined || held.length < 2) return [];
    if (this.source === 'env' && before !== this.ring.preferredId) {
      return [
        `GIBBON_MASTER_KEY (${this.ring.preferredId}) is not in use yet: stored keys stay wrapped by ${before} until the master key is rotated (gibbon admin rotate-keys --master).`,
      ];
    }
    if (this.source === 'file') {
      return [
        'A master key rotation did not finish (master.key.next is in the data folder); rotate again to finish it (gibbon admin rotate-keys --master).',
      ];
    }
    return [];
  }
}

/** The service over `store`; a bare key behaves as one given in GIBBON_MASTER_KEY. */
export function createMasterKeys(
  store: Store,
  masterKey: Buffer | MasterKeyRing,
): MasterKeysService {
  const ring = Buffer.isBuffer(masterKey)
    ? MasterKeyRing.holding(masterKeyFromEnvironment(masterKey), [masterKeyOf(masterKey)])
    : masterKey;
  return new MasterKeysService(store, ring);
}

function contextOf(row: WrappedKeyRow): string {
  return row.kind === 'data' ? dataKeyContext(row.org) : signingKeyContext(row.purpose, row.kid);
}
