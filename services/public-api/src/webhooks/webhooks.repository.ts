import type { Db } from '../db/database';
import type { DeliveriesTable, WebhooksTable } from '../db/builds-schema';
import type { TimePosition } from '../http/time-cursor';

export interface WebhookRecord {
  readonly id: string;
  readonly org: string;
  readonly repoId: string;
  readonly secretSealed: string;
  readonly createdAt: string;
}

export type DeliveryRecord = Readonly<DeliveriesTable>;

/** A delivery as listed: its row and the number of the build it made, if any. */
export type ListedDelivery = DeliveryRecord & { readonly build_number: number | null };

/** Webhooks and their recorded deliveries (the idempotency log of `X-GitHub-Delivery`). */
export class WebhooksRepository {
  constructor(private readonly db: Db) {}

  async insert(webhook: WebhookRecord): Promise<void> {
    const row: WebhooksTable = {
      id: webhook.id,
      org: webhook.org,
      repo_id: webhook.repoId,
      secret_sealed: webhook.secretSealed,
      created_at: webhook.createdAt,
    };
    await this.db.insertInto('webhooks').values(row).execute();
  }

  async find(id: string): Promise<WebhookRecord | undefined> {
    const row = await this.db
      .selectFrom('webhooks')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      org: row.org,
      repoId: row.repo_id,
      secretSealed: row.secret_sealed,
      createdAt: row.created_at,
    };
  }

  findDelivery(id: string): Promise<DeliveryRecord | undefined> {
    return this.db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The deliveries of every webhook of `repoId`, newest first (ties by id), after `before`. */
  listDeliveries(repoId: string, limit: number, before?: TimePosition): Promise<ListedDelivery[]> {
    let query = this.db
      .selectFrom('deliveries')
      .innerJoin('webhooks', 'webhooks.id', 'deliveries.webhook_id')
      .leftJoin('builds', 'builds.id', 'deliveries.build_id')
      .selectAll('deliveries')
      .select('builds.number as build_number')
      .where('webhooks.repo_id', '=', repoId);
    if (before !== undefined) {
      query = query.where((eb) =>
        eb.or([
          eb('deliveries.received_at', '<', before.time),
          eb.and([
            eb('deliveries.received_at', '=', before.time),
            eb('deliveries.id', '<', before.id),
          ]),
        ]),
      );
    }
    return query
      .orderBy('deliveries.received_at', 'desc')
      .orderBy('deliveries.id', 'desc')
      .limit(limit)
      .execute();
  }

  async insertDelivery(delivery: DeliveryRecord): Promise<void> {
    await this.db.insertInto('deliveries').values(delivery).execute();
  }

  async findBuildIdByContentKey(repoId: string, contentKey: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('build_content_keys')
      .select('build_id')
      .where('repo_id', '=', repoId)
      .where('content_key', '=', contentKey)
      .executeTakeFirst();
    return row?.build_id;
  }

  async insertContentKey(repoId: string, contentKey: string, buildId: string): Promise<void> {
    await this.db
      .insertInto('build_content_keys')
      .values({ repo_id: repoId, content_key: contentKey, build_id: buildId })
      .execute();
  }
}
