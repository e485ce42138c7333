import type { Db } from '../db/database';
import type { WebSessionsTable } from '../db/schema';
import type { ApiTokenOwner } from '../tokens';

/** A live session with the token it stands for. */
export interface StoredSession {
  readonly owner: ApiTokenOwner;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

/** The web page's sessions, by the SHA-256 of their cookie secret. */
export class WebSessionsRepository {
  constructor(private readonly db: Db) {}

  async insert(session: WebSessionsTable): Promise<void> {
    await this.db.insertInto('web_sessions').values(session).execute();
  }

  /** The session of this secret hash and its token, unless it expired before `now`. */
  async findLive(secretHash: string, now: string): Promise<StoredSession | undefined> {
    const row = await this.db
      .selectFrom('web_sessions')
      .innerJoin('api_tokens', 'api_tokens.id', 'web_sessions.token_id')
      .select([
        'api_tokens.id as id',
        'api_tokens.kind as kind',
        'api_tokens.org as org',
        'api_tokens.role as role',
        'web_sessions.csrf_token as csrfToken',
        'web_sessions.expires_at as expiresAt',
      ])
      .where('web_sessions.secret_hash', '=', secretHash)
      .where('web_sessions.expires_at', '>', now)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const { csrfToken, expiresAt } = row;
    if (row.kind === 'admin') return { owner: { kind: 'admin', id: row.id }, csrfToken, expiresAt };
    if (row.org === null || row.role === null) return undefined;
    return {
      owner: { kind: 'org', id: row.id, org: row.org, role: row.role },
      csrfToken,
      expiresAt,
    };
  }

  async delete(secretHash: string): Promise<void> {
    await this.db.deleteFrom('web_sessions').where('secret_hash', '=', secretHash).execute();
  }

  /** Forgets every session that ended before `now` (their cookies are refused already). */
  async deleteExpired(now: string): Promise<void> {
    await this.db.deleteFrom('web_sessions').where('expires_at', '<=', now).execute();
  }
}
