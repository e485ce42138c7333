import { NotFoundError } from '@gibbon/contracts';
import { generateOpaqueToken, hashOpaqueToken } from '../auth';
import type { Label, Runner, RunnerPlatform } from '../domain';
import { newId, nowIso } from '../ids';
import type { RunnersRepository } from './runners.repository';
import type { AuditService } from '../audit';
import type { Principal } from '../auth';
import { assertLabels } from '../validation';
import { assertPlatform, type LeasesRepository } from '../queue';

/** Build-runner registration; the runner token is returned once and stored as a hash. */
export class RunnersService {
  constructor(
    private readonly runners: RunnersRepository,
    private readonly leases: LeasesRepository,
    private readonly audit: AuditService,
  ) {}

  async register(
    input: { name: string; labels?: readonly Label[] },
    actor?: Principal,
  ): Promise<Runner & { token: string }> {
    assertLabels(input.labels ?? [], 'Runner labels');
    const token = generateOpaqueToken('runner');
    const runner: Runner = {
      id: newId('run'),
      name: input.name,
      labels: input.labels ?? [],
      createdAt: nowIso(),
      lastSeenAt: null,
      platform: null,
      draining: false,
    };
    await this.runners.insert(runner, hashOpaqueToken(token));
    await this.audit.record(actor, {
      action: 'runner.created',
      org: null,
      object: { type: 'runner', id: runner.id },
      detail: { name: runner.name },
    });
    return { ...runner, token };
  }

  /** Every registered runner with the builds it runs now (its active leases). */
  async list(): Promise<(Runner & { runningBuilds: number })[]> {
    const [runners, running] = await Promise.all([
      this.runners.list(),
      this.leases.activeCountByRunner(),
    ]);
    return runners.map((runner) => ({ ...runner, runningBuilds: running.get(runner.id) ?? 0 }));
  }

  /** Records the platform a claim came from; refused (409) when it contradicts a label. */
  async reportPlatform(
    id: string,
    registered: readonly Label[],
    platform: RunnerPlatform,
  ): Promise<void> {
    assertPlatform(registered, platform);
    await this.runners.recordPlatform(id, platform);
  }

  /**
   * `POST /v1/runners/{id}/drain`: the runner is handed no new build from now on (its waiting
   * claims answer 204); the builds it runs finish and report as usual. It stays drained.
   */
  async drain(id: string, actor?: Principal): Promise<Runner & { runningBuilds: number }> {
    if (!(await this.runners.drain(id))) throw new NotFoundError(`No runner "${id}".`);
    await this.audit.record(actor, {
      action: 'runner.drained',
      org: null,
      object: { type: 'runner', id },
    });
    const runner = (await this.list()).find((each) => each.id === id);
    if (!runner) throw new NotFoundError(`No runner "${id}".`);
    return runner;
  }

  async delete(id: string, actor?: Principal): Promise<void> {
    if (!(await this.runners.delete(id))) throw new NotFoundError(`No runner "${id}".`);
    await this.audit.record(actor, {
      action: 'runner.deleted',
      org: null,
      object: { type: 'runner', id },
    });
  }
}
