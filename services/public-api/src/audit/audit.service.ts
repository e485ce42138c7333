import { tokenKindOf, type Principal } from '../auth';
import { timeCursorOf, timePositionOf } from '../http/time-cursor';
import { newId, nowIso } from '../ids';
import type { Store } from '../store';
import type { AuditChange } from './audit-entry';
import type { AuditPosition, AuditRow } from './audit.repository';

export interface AuditPage {
  readonly items: readonly AuditRow[];
  readonly nextCursor: string | null;
}

function cursorOf(row: AuditRow): string {
  return timeCursorOf({ time: row.at, id: row.id });
}

function positionOf(cursor: string): AuditPosition {
  const { time, id } = timePositionOf(cursor);
  return { at: time, id };
}

/**
 * The audit log: who (the token, by kind, id and name at the time) did what to which object.
 * A service records a change inside the transaction that makes it where it has one
 * (`rowOf` then `tx.audit.insert`), otherwise right after it (`record`). Services are handed
 * the caller as `actor`; a call without one (set-up code, not a person through the API)
 * records nothing.
 */
export class AuditService {
  constructor(private readonly store: Store) {}

  async record(actor: Principal | undefined, change: AuditChange): Promise<void> {
    if (actor === undefined) return;
    await this.store.audit.insert(await this.rowOf(actor, change));
  }

  /** The row of a change, to insert in the caller's own transaction. */
  async rowOf(actor: Principal, change: AuditChange): Promise<AuditRow> {
    return {
      id: newId('aud'),
      at: nowIso(),
      org: change.org,
      actor_kind: tokenKindOf(actor),
      ...(await this.actorOf(actor)),
      action: change.action,
      object_type: change.object.type,
      object_id: change.object.id,
      detail: change.detail === undefined ? null : JSON.stringify(change.detail),
    };
  }

  /** Newest first; `org` undefined is the whole log (the admin's). */
  async list(org: string | undefined, limit: number, cursor?: string): Promise<AuditPage> {
    const before = cursor === undefined ? undefined : positionOf(cursor);
    const rows = await this.store.audit.list(org, limit + 1, before);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? cursorOf(last) : null };
  }

  private async actorOf(actor: Principal): Promise<Pick<AuditRow, 'actor_id' | 'actor_name'>> {
    if (actor.kind === 'admin' || actor.kind === 'org') {
      const name = await this.store.apiTokens.nameOf(actor.tokenId);
      return { actor_id: actor.tokenId, actor_name: name ?? actor.tokenId };
    }
    const id =
      actor.kind === 'runner'
        ? actor.runnerId
        : actor.kind === 'build'
          ? actor.buildId
          : actor.tokenId;
    return { actor_id: id, actor_name: id };
  }
}
