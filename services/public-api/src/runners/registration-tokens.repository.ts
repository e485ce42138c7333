import type { Db } from '../db/database';
import type { RunnerRegistrationTokensTable } from '../db/schema';
import type { Label, RegistrationToken } from '../domain';

function toToken(row: RunnerRegistrationTokensTable): RegistrationToken {
  return {
    id: row.id,
    labels: JSON.parse(row.labels) as Label[],
    description: row.description,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
    runnerId: row.runner_id,
    revokedAt: row.revoked_at,
  };
}

/** Runner registration tokens, stored by the SHA-256 of their secret only. */
export class RegistrationTokensRepository {
  constructor(private readonly db: Db) {}

  async insert(token: RegistrationToken, tokenHash: string): Promise<void> {
    await this.db
      .insertInto('runner_registration_tokens')
      .values({
        id: token.id,
        token_hash: tokenHash,
        labels: JSON.stringify(token.labels),
        description: token.description,
        created_at: token.createdAt,
        expires_at: token.expiresAt,
        used_at: null,
        runner_id: null,
        revoked_at: null,
      })
      .execute();
  }

  async list(): Promise<RegistrationToken[]> {
    const rows = await this.db
      .selectFrom('runner_registration_tokens')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toToken);
  }

  async findById(id: string): Promise<RegistrationToken | undefined> {
    const row = await this.db
      .selectFrom('runner_registration_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toToken(row);
  }

  /** The token's id, whatever its state (registration says why a spent one is refused). */
  async idByHash(tokenHash: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('runner_registration_tokens')
      .select('id')
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row?.id;
  }

  /**
   * Spends the token for `runnerId` if it is still unused, unrevoked and unexpired at `at`.
   * One conditional UPDATE: of two registrations racing with one token, the second finds
   * `used_at` set (on Postgres it waits for the first's row lock, then re-reads the row), so
   * exactly one gets `true`.
   */
  async spend(id: string, runnerId: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('runner_registration_tokens')
      .set({ used_at: at, runner_id: runnerId })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', at)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Revokes an unused token; false when there is none such (unknown, used or revoked). */
  async revoke(id: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('runner_registration_tokens')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
