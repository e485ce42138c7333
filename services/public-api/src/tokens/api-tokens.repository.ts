import type { Db } from '../db/database';
import type { ApiTokensTable } from '../db/schema';
import type { OrgToken, OrgTokenRole } from '../domain';

/** What a stored token hash identifies: the admin token, or an org token with its role. */
export type ApiTokenOwner =
  | { readonly kind: 'admin'; readonly id: string }
  | {
      readonly kind: 'org';
      readonly id: string;
      readonly org: string;
      readonly role: OrgTokenRole;
    };

function toOrgToken(row: ApiTokensTable): OrgToken {
  return {
    id: row.id,
    org: row.org ?? '',
    name: row.name,
    role: row.role ?? 'read',
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

/** The admin token and org tokens, stored by the SHA-256 of their secret only. */
export class ApiTokensRepository {
  constructor(private readonly db: Db) {}

  async insertAdmin(id: string, secretHash: string, createdAt: string): Promise<void> {
    await this.db
      .insertInto('api_tokens')
      .values({
        id,
        kind: 'admin',
        org: null,
        role: null,
        name: 'admin',
        secret_hash: secretHash,
        created_at: createdAt,
        last_used_at: null,
      })
      .execute();
  }

  async hasAdmin(): Promise<boolean> {
    const row = await this.db
      .selectFrom('api_tokens')
      .select('id')
      .where('kind', '=', 'admin')
      .executeTakeFirst();
    return row !== undefined;
  }

  async insertOrgToken(token: OrgToken, secretHash: string): Promise<void> {
    await this.db
      .insertInto('api_tokens')
      .values({
        id: token.id,
        kind: 'org',
        org: token.org,
        role: token.role,
        name: token.name,
        secret_hash: secretHash,
        created_at: token.createdAt,
        last_used_at: null,
      })
      .execute();
  }

  async findByHash(secretHash: string): Promise<ApiTokenOwner | undefined> {
    const row = await this.db
      .selectFrom('api_tokens')
      .select(['id', 'kind', 'org', 'role'])
      .where('secret_hash', '=', secretHash)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    if (row.kind === 'admin') return { kind: 'admin', id: row.id };
    if (row.org === null || row.role === null) return undefined;
    return { kind: 'org', id: row.id, org: row.org, role: row.role };
  }

  async nameOf(id: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('api_tokens')
      .select('name')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.name;
  }

  async listOrgTokens(org: string): Promise<OrgToken[]> {
    const rows = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('kind', '=', 'org')
      .where('org', '=', org)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toOrgToken);
  }

  async deleteOrgToken(org: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('api_tokens')
      .where('kind', '=', 'org')
      .where('org', '=', org)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async touch(id: string, at: string): Promise<void> {
    await this.db
      .updateTable('api_tokens')
      .set({ last_used_at: at })
      .where('id', '=', id)
      .execute();
  }
}
