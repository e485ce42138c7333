import type { Db } from '../db/database';
import type { DeliveriesTable, WebhooksTable } from '../db/builds-schema';

export interface WebhookRecord {
  readonly id: string;
  readonly org: string;
  readonly repoId: string;
  readonly secretSealed: string;
  readonly createdAt: string;
}

export type DeliveryRecord = Readonly<DeliveriesTable>;

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
