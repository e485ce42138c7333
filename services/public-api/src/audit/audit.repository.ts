import type { Db } from '../db/database';
import type { AuditLogTable } from '../db/schema';

export type AuditRow = Readonly<AuditLogTable>;

/** Where a page of the log starts: just older than the last entry of the previous page. */
export interface AuditPosition {
  readonly at: string;
  readonly id: string;
}

/** The audit log, written once per change and read newest first (by `at`, then `id`). */
export class AuditRepository {
  constructor(private readonly db: Db) {}

  async insert(row: AuditRow): Promise<void> {
    await this.db.insertInto('audit_log').values(row).execute();
  }

  /** Newest first; `org` undefined reads every entry, `before` continues a previous page. */
  async list(org: string | undefined, limit: number, before?: AuditPosition): Promise<AuditRow[]> {
    let query = this.db.selectFrom('audit_log').selectAll();
    if (org !== undefined) query = query.where('org', '=', org);
    if (before !== undefined) {
      query = query.where((eb) =>
        eb.or([
          eb('at', '<', before.at),
          eb.and([eb('at', '=', before.at), eb('id', '<', before.id)]),
        ]),
      );
    }
    return query.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }
}
