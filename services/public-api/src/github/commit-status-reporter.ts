import { pagePaths, pageUrl, type BuildStatusEvent, type OrgEvent } from '@gibbon/contracts';
import type { CommitStatusNotifier } from './commit-status';
import type { Logger } from '../logger';
import type { ReposService } from '../repos';
import type { BuildHub } from '../events';
import type { BuildsService } from '../builds';

/**
 * Turns stored build status changes into GitHub commit statuses (spec section 5) for
 * repositories with `githubRepo` and `githubToken`. It listens on the hub, so it runs after
 * the state is stored and never inside a request; the notifier retries with backoff and keeps
 * the order per commit. Lookups of one build are chained so its statuses reach the notifier
 * in the order they happened.
 *
 * Lifecycle: `start()` subscribes; `stop()` unsubscribes and waits for lookups in flight (the
 * notifier is closed by its owner afterwards).
 */
export class CommitStatusReporter {
  private readonly chains = new Map<string, Promise<void>>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly hub: BuildHub,
    private readonly builds: BuildsService,
    private readonly repos: ReposService,
    private readonly notifier: CommitStatusNotifier,
    private readonly publicUrl: string,
    private readonly logger: Logger,
  ) {}

  start(): void {
    // Each change is reported by the process that made it, never once per process.
    this.unsubscribe ??= this.hub.onStatus((event: OrgEvent, origin) => {
      if (event.type === 'build.status' && origin === 'here') this.enqueue(event);
    });
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await Promise.all(this.chains.values());
  }

  private enqueue(event: BuildStatusEvent): void {
    const previous = this.chains.get(event.buildId) ?? Promise.resolve();
    const next = previous
      .then(() => this.report(event))
      .catch((error: unknown) => this.logger.log('warn', 'commit status not sent', { error }))
      .finally(() => {
        if (this.chains.get(event.buildId) === next) this.chains.delete(event.buildId);
      });
    this.chains.set(event.buildId, next);
  }

  private async report(event: BuildStatusEvent): Promise<void> {
    const repo = await this.repos.get(event.org, event.repo);
    if (repo.githubRepo === null || !repo.hasGithubToken) return;
    const build = await this.builds.getById(event.buildId);
    if (build.git.commit === null) return;
    const token = await this.repos.githubTokenOf(repo);
    if (token === null) return;
    this.notifier.notify({
      githubRepo: repo.githubRepo,
      commit: build.git.commit,
      token,
      status: event.status,
      targetUrl: pageUrl(this.publicUrl, pagePaths.build(repo.org, repo.name, build.number)),
    });
  }
}
