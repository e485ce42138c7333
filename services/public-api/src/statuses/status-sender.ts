import { pagePaths, pageUrl } from '@gibbon/contracts';
import {
  attemptStatus,
  delayBeforeRetry,
  DEFAULT_RETRY_POLICY,
  logFieldsOf,
  problemOf,
  statusBodyOf,
  statusUrlOf,
  type AttemptVerdict,
  type CommitStatusUpdate,
  type RetryPolicy,
  type StatusTransport,
} from '../github';
import type { BuildHub } from '../events';
import { newId } from '../ids';
import type { Logger } from '../logger';
import type { ReposService } from '../repos';
import type { OutboxStatus, StatusOutboxRepository } from './outbox.repository';

export interface StatusSenderOptions {
  /** `GIBBON_GITHUB_API_URL`, e.g. `https://api.github.com` or `https://ghe.example/api/v3`. */
  readonly githubApiUrl: string;
  /** `GIBBON_PUBLIC_URL`: the link next to each status is the build's page there. */
  readonly publicUrl: string;
  /** `GIBBON_COMMIT_STATUS_MAX_AGE_SECONDS`: a status failing past this age is given up. */
  readonly maxAgeMs: number;
  readonly transport: StatusTransport;
  readonly retry?: Partial<RetryPolicy>;
  /** How often the outbox is looked at without a local change (other processes, restarts). */
  readonly pollMs?: number;
}

/** Longer than the transport's timeout: a lease never runs out under a request in flight. */
const LEASE_MS = 60_000;
const BATCH = 20;

interface SenderDeps {
  readonly outbox: StatusOutboxRepository;
  readonly repos: ReposService;
  readonly hub: BuildHub;
  readonly logger: Logger;
}

/**
 * Sends the commit status outbox to GitHub (statuses/README.md), one sender per process.
 *
 * Lifecycle: `start()` wakes it on every local build status change and every `pollMs`;
 * `stop()` ends the timer, aborts requests in flight (their rows go back to the outbox, due at
 * once, for this or another process) and resolves when no pass runs. Safe to call twice.
 *
 * A pass claims due rows (the oldest of each commit, leased to this sender), sends them
 * concurrently and repeats until nothing is due, so one commit's next status goes out as soon
 * as the one before it is settled. Failures are stored as the row's next attempt time.
 */
export class StatusSender {
  private readonly owner = newId('snd');
  private readonly policy: RetryPolicy;
  private readonly stopping = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly deps: SenderDeps,
    private readonly options: StatusSenderOptions,
  ) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  start(): void {
    if (this.timer || this.stopping.signal.aborted) return;
    this.unsubscribe = this.deps.hub.onStatus((event) => {
      if (event.type === 'build.status') this.wake();
    });
    this.timer = setInterval(() => this.wake(), this.options.pollMs ?? 1_000);
    this.timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.stopping.abort();
    await this.running;
  }

  /** Runs a pass now, or right after the one running (a change may have come in during it). */
  private wake(): void {
    if (this.stopping.signal.aborted) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.passes().finally(() => (this.running = undefined));
  }

  private async passes(): Promise<void> {
    do {
      this.again = false;
      try {
        while (!this.stopping.signal.aborted && (await this.pass()) > 0);
      } catch (error) {
        this.deps.logger.log('error', 'Commit status outbox pass failed.', { error });
      }
    } while (this.again && !this.stopping.signal.aborted);
  }

  /** Claims and settles one batch; returns how many rows it claimed. */
  private async pass(): Promise<number> {
    const now = Date.now();
    const leaseUntil = new Date(now + LEASE_MS).toISOString();
    const claimed = await this.deps.outbox.claimDue(
      this.owner,
      new Date(now).toISOString(),
      leaseUntil,
      BATCH,
    );
    await Promise.all(claimed.map((row) => this.settle(row)));
    return claimed.length;
  }

  private async settle(row: OutboxStatus): Promise<void> {
    const update = await this.updateOf(row);
    if (typeof update === 'string') return this.giveUp(row, { buildId: row.buildId }, update);
    const fields = { ...logFieldsOf(update), buildId: row.buildId, attempt: row.attempts };
    const problem = problemOf(update);
    if (problem !== undefined) return this.giveUp(row, fields, problem);
    const verdict = await attemptStatus(this.options.transport, {
      url: statusUrlOf(this.options.githubApiUrl, update),
      token: update.token,
      body: statusBodyOf(update),
      signal: this.stopping.signal,
    });
    if (verdict.kind === 'delivered') return this.deps.outbox.remove(row.id, this.owner);
    if (verdict.kind === 'give-up') return this.giveUp(row, fields, verdict.reason);
    return this.retryLater(row, fields, verdict);
  }

  /** The status to send, or why there is none (the repository lost its GitHub settings). */
  private async updateOf(row: OutboxStatus): Promise<CommitStatusUpdate | string> {
    const repo = await this.deps.repos.getById(row.repoId);
    if (!repo || repo.githubRepo === null) return 'the repository has no githubRepo any more';
    const token = await this.deps.repos.githubTokenOf(repo);
    if (token === null) return 'the repository has no githubToken any more';
    return {
      githubRepo: repo.githubRepo,
      commit: row.commit,
      token,
      status: row.buildStatus,
      targetUrl: pageUrl(this.options.publicUrl, pagePaths.build(row.org, row.repo, row.number)),
    };
  }

  private async retryLater(
    row: OutboxStatus,
    fields: Record<string, unknown>,
    verdict: Extract<AttemptVerdict, { kind: 'retry' }>,
  ): Promise<void> {
    if (this.stopping.signal.aborted) {
      // Stopped mid-request: not the row's fault; due again at once, for whoever runs next.
      return this.deps.outbox.retryAt(row.id, this.owner, new Date().toISOString(), null);
    }
    const age = Date.now() - Date.parse(row.createdAt);
    if (age >= this.options.maxAgeMs) {
      const seconds = Math.round(this.options.maxAgeMs / 1000);
      return this.giveUp(row, fields, `${verdict.reason}; still failing after ${seconds} s`);
    }
    this.deps.logger.log('warn', 'Commit status attempt failed; retrying.', {
      ...fields,
      reason: verdict.reason,
    });
    const delayMs = delayBeforeRetry(this.policy, row.attempts, verdict.retryAfterMs);
    const next = new Date(Date.now() + delayMs).toISOString();
    await this.deps.outbox.retryAt(row.id, this.owner, next, verdict.reason);
  }

  private async giveUp(row: OutboxStatus, fields: Record<string, unknown>, reason: string) {
    await this.deps.outbox.remove(row.id, this.owner);
    this.deps.logger.log('warn', 'Commit status not sent; given up.', { ...fields, reason });
  }
}
