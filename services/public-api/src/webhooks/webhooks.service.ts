import { randomBytes } from 'node:crypto';
import { ConflictError, NotFoundError } from '@gibbon/contracts';
import { open, seal } from '../crypto/aead';
import type { DataKeys } from '../crypto/data-keys';
import {
  evaluateTriggerRules,
  readGithubDelivery,
  type DeliveryOutcome,
  type RawDelivery,
} from '../github';
import { newId, nowIso } from '../ids';
import type { Store } from '../store';
import { timeCursorOf, timePositionOf } from '../http/time-cursor';
import type { DeliveryRecord, ListedDelivery, WebhookRecord } from './webhooks.repository';
import type { ReposService } from '../repos';
import type { Repo } from '../domain';
import type { BuildWithJobs, BuildsService } from '../builds';
import { recordBuildDelivery, repoMismatch } from './record-delivery';
import type { AuditService } from '../audit';
import type { Principal } from '../auth';

const maxOpenedWebhooks = 10_000;
const webhookIdPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export interface CreatedWebhook {
  readonly id: string;
  readonly org: string;
  readonly repo: string;
  readonly payloadUrl: string;
  readonly createdAt: string;
  /** Shown once; only its sealed form is stored. */
  readonly secret: string;
}

export interface DeliveryPage {
  readonly items: readonly ListedDelivery[];
  readonly nextCursor: string | null;
}

/** What the route answers: 200 with the build (or `null` for ping), or 202 ignored. */
export type WebhookAnswer =
  | { readonly kind: 'accepted'; readonly delivery: string; readonly build: BuildWithJobs | null }
  | { readonly kind: 'ignored'; readonly delivery: string; readonly reason: string };

function secretContext(org: string, webhookId: string): string {
  return `gibbon/webhook-secret/${org}/${webhookId}`;
}

/**
 * GitHub webhooks of repositories and their deliveries (spec section 5, `src/github/README.md`):
 * the signature is checked on the raw bytes before anything is parsed or stored; every verified
 * delivery is recorded in the same transaction as the build it makes, so an answer is only
 * given once the delivery is durable, and replays (same delivery id, or same content key)
 * answer with the existing build.
 */
export class WebhooksService {
  private readonly opened = new Map<string, { webhook: WebhookRecord; secret: Buffer }>();

  constructor(
    private readonly store: Store,
    private readonly repos: ReposService,
    private readonly dataKeys: DataKeys,
    private readonly builds: BuildsService,
    private readonly publicUrl: string,
    private readonly audit: AuditService,
  ) {}

  async create(org: string, repoName: string, actor?: Principal): Promise<CreatedWebhook> {
    const repo = await this.repos.get(org, repoName);
    const id = newId('wh');
    const secret = randomBytes(32).toString('hex');
    const createdAt = nowIso();
    const secretSealed = seal(await this.dataKeys.keyOf(org), secret, secretContext(org, id));
    await this.store.webhooks.insert({ id, org, repoId: repo.id, secretSealed, createdAt });
    await this.audit.record(actor, {
      action: 'webhook.created',
      org,
      object: { type: 'webhook', id },
      detail: { repo: repo.name },
    });
    const payloadUrl = `${this.publicUrl}/webhooks/github/${id}`;
    return { id, org, repo: repo.name, payloadUrl, createdAt, secret };
  }

  /** The deliveries of the repository's webhooks, newest first, `limit` a page. */
  async listDeliveries(
    org: string,
    repoName: string,
    limit: number,
    cursor?: string,
  ): Promise<DeliveryPage> {
    const repo = await this.repos.get(org, repoName);
    const before = cursor === undefined ? undefined : timePositionOf(cursor);
    const rows = await this.store.webhooks.listDeliveries(repo.id, limit + 1, before);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const nextCursor =
      rows.length > limit && last ? timeCursorOf({ time: last.received_at, id: last.id }) : null;
    return { items, nextCursor };
  }

  async receive(webhookId: string, raw: RawDelivery): Promise<WebhookAnswer> {
    const { webhook, secret } = await this.openWebhook(webhookId);
    const read = readGithubDelivery(raw, secret);
    const base = { id: read.deliveryId, webhook_id: webhook.id, event: read.event };
    const { outcome } = read;
    if (outcome.kind === 'closed') {
      const reason = await this.closePullRequest(webhook, outcome);
      return this.recordWithoutBuild({ ...base, outcome: 'ignored', reason });
    }
    if (outcome.kind !== 'build') {
      const reason = outcome.kind === 'ignored' ? outcome.reason : null;
      return this.recordWithoutBuild({ ...base, outcome: outcome.kind, reason });
    }
    const repo = await this.repoOf(webhook.repoId);
    const mismatch = repoMismatch(repo, outcome.trigger);
    if (mismatch) return this.recordWithoutBuild({ ...base, outcome: 'ignored', reason: mismatch });
    const verdict = evaluateTriggerRules(repo.triggers, outcome.trigger);
    if (!verdict.build) {
      return this.recordWithoutBuild({ ...base, outcome: 'ignored', reason: verdict.reason });
    }
    const recorded = await this.store.transaction((tx) =>
      recordBuildDelivery(tx, repo, outcome.trigger, base),
    );
    if (recorded.kind === 'answered') return this.answerOf(recorded.delivery);
    const { build, created } = recorded;
    if (!created) {
      const existing = await this.builds.getById(build.id);
      return { kind: 'accepted', delivery: read.deliveryId, build: existing };
    }
    this.builds.announceQueued(created);
    // A build made just now has no jobs yet: no need to read it back.
    return { kind: 'accepted', delivery: read.deliveryId, build: { ...build, jobs: [] } };
  }

  /**
   * A closed pull request (merged or not): its builds still queued or running are canceled, as
   * a user would cancel them (a queued one at once, a running one through its runner). Returns
   * what the delivery record and answer say.
   */
  private async closePullRequest(
    webhook: WebhookRecord,
    closed: Extract<DeliveryOutcome, { kind: 'closed' }>,
  ): Promise<string> {
    const repo = await this.repoOf(webhook.repoId);
    const mismatch = repoMismatch(repo, closed);
    if (mismatch) return mismatch;
    const canceled: number[] = [];
    for (const build of await this.store.builds.unfinishedOfRef(repo.id, closed.ref)) {
      try {
        await this.builds.cancel(repo.org, repo.name, build.number);
        canceled.push(build.number);
      } catch (error) {
        // It finished meanwhile: nothing left to cancel.
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    const which =
      canceled.length === 0
        ? 'none was queued or running'
        : `canceled ${canceled.map((n) => `#${n}`).join(', ')}`;
    return `pull request #${closed.number} closed: nothing to build; of its builds ${which}`;
  }

  private async recordWithoutBuild(
    delivery: Omit<DeliveryRecord, 'received_at' | 'build_id'>,
  ): Promise<WebhookAnswer> {
    const record = { ...delivery, received_at: nowIso(), build_id: null };
    const recorded = await this.store.transaction(async ({ webhooks }) => {
      const existing = await webhooks.findDelivery(record.id);
      if (!existing) await webhooks.insertDelivery(record);
      return existing ?? record;
    });
    return this.answerOf(recorded);
  }

  private async answerOf(delivery: DeliveryRecord): Promise<WebhookAnswer> {
    if (delivery.outcome === 'ignored') {
      return { kind: 'ignored', delivery: delivery.id, reason: delivery.reason ?? 'ignored' };
    }
    const build = delivery.build_id === null ? null : await this.builds.getById(delivery.build_id);
    return { kind: 'accepted', delivery: delivery.id, build };
  }

  /**
   * The webhook and its secret in clear. Webhook rows never change after creation (they only
   * go with their repository, which `repoOf` then reports), so they are kept in memory: a
   * delivery costs no lookup and no decryption of the secret.
   */
  private async openWebhook(id: string): Promise<{ webhook: WebhookRecord; secret: Buffer }> {
    const cached = this.opened.get(id);
    if (cached) return cached;
    const webhook = webhookIdPattern.test(id) ? await this.store.webhooks.find(id) : undefined;
    if (!webhook) throw new NotFoundError(`No webhook "${id}".`);
    const key = await this.dataKeys.keyOf(webhook.org);
    const secret = open(key, webhook.secretSealed, secretContext(webhook.org, webhook.id));
    const opened = { webhook, secret };
    if (this.opened.size >= maxOpenedWebhooks) this.opened.clear();
    this.opened.set(id, opened);
    return opened;
  }

  private async repoOf(repoId: string): Promise<Repo> {
    const repo = await this.repos.getById(repoId);
    if (!repo) throw new NotFoundError('The repository of this webhook no longer exists.');
    return repo;
  }
}
