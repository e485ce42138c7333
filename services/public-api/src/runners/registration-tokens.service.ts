import { AuthenticationError, NotFoundError } from '@gibbon/contracts';
import { generateOpaqueToken, hashOpaqueToken, type Principal } from '../auth';
import type { AuditService } from '../audit';
import type { Label, RegistrationToken, Runner, RunnerPlatform } from '../domain';
import { newId, nowIso } from '../ids';
import { assertPlatform } from '../queue';
import type { Store } from '../store';
import { assertLabels } from '../validation';

/** Seconds a registration token lives unless told otherwise, and at most (the document's). */
export const defaultRegistrationSeconds = 3600;

export interface RegistrationTokenInput {
  readonly labels?: readonly Label[];
  readonly expiresInSeconds?: number;
  readonly description?: string;
}

/** What a runner sends to register itself. */
export interface RunnerRegistrationInput {
  readonly name: string;
  readonly platform: RunnerPlatform;
}

const mintAdvice =
  'ask an admin for a new one (gibbon runners registration-token create, or POST /v1/runner-registration-tokens) and start the runner with it';

/** Why a token that could not be spent was refused, in words a runner's operator can act on. */
function refusal(token: RegistrationToken | undefined, at: string): AuthenticationError {
  if (token?.revokedAt) {
    return new AuthenticationError(
      `This registration token was revoked at ${token.revokedAt}; ${mintAdvice}.`,
    );
  }
  if (token?.usedAt) {
    return new AuthenticationError(
      `This registration token was already used at ${token.usedAt} (runner ${token.runnerId ?? '?'}); a token registers one runner: ${mintAdvice}, or keep the runner token the first registration got (GIBBON_RUNNER_TOKEN_FILE).`,
    );
  }
  if (token && token.expiresAt <= at) {
    return new AuthenticationError(
      `This registration token expired at ${token.expiresAt}; ${mintAdvice}.`,
    );
  }
  return new AuthenticationError('The registration token is not valid; ' + mintAdvice + '.');
}

/**
 * One-time runner registration tokens: an admin mints one (the secret is answered once and
 * stored hashed), a runner spends it on `POST /v1/runner/register` for a runner token of its
 * own. Spending and creating the runner are one transaction.
 */
export class RegistrationTokensService {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditService,
  ) {}

  async create(
    input: RegistrationTokenInput,
    actor?: Principal,
  ): Promise<Omit<RegistrationToken, 'usedAt' | 'runnerId' | 'revokedAt'> & { token: string }> {
    assertLabels(input.labels ?? [], 'Registration token labels');
    const secret = generateOpaqueToken('registration');
    const createdAt = nowIso();
    const seconds = input.expiresInSeconds ?? defaultRegistrationSeconds;
    const token: RegistrationToken = {
      id: newId('rrt'),
      labels: input.labels ?? [],
      description: input.description ?? '',
      createdAt,
      expiresAt: new Date(Date.parse(createdAt) + seconds * 1000).toISOString(),
      usedAt: null,
      runnerId: null,
      revokedAt: null,
    };
    await this.store.runnerRegistrationTokens.insert(token, hashOpaqueToken(secret));
    await this.audit.record(actor, {
      action: 'runner.registration_token.created',
      org: null,
      object: { type: 'runner_registration_token', id: token.id },
      detail: { labels: token.labels, expiresAt: token.expiresAt },
    });
    const { id, labels, description, expiresAt } = token;
    return { id, labels, description, createdAt, expiresAt, token: secret };
  }

  list(): Promise<RegistrationToken[]> {
    return this.store.runnerRegistrationTokens.list();
  }

  async revoke(id: string, actor?: Principal): Promise<void> {
    if (!(await this.store.runnerRegistrationTokens.revoke(id, nowIso()))) {
      throw new NotFoundError(
        `No unused registration token "${id}" (GET /v1/runner-registration-tokens lists them; a used one registered a runner: delete that runner instead).`,
      );
    }
    await this.audit.record(actor, {
      action: 'runner.registration_token.revoked',
      org: null,
      object: { type: 'runner_registration_token', id },
    });
  }

  /**
   * Registers the runner of the caller's registration token. The token is spent by a
   * conditional UPDATE inside the transaction that inserts the runner: a refusal (or a failed
   * insert) leaves it unused, and two registrations with one token cannot both commit.
   */
  async register(
    actor: Principal,
    input: RunnerRegistrationInput,
  ): Promise<Pick<Runner, 'id' | 'name' | 'labels'> & { token: string }> {
    if (actor.kind !== 'runner-registration') {
      throw new AuthenticationError('Register with a runner registration token.');
    }
    const secret = generateOpaqueToken('runner');
    return this.store.transaction(async (tx) => {
      const at = nowIso();
      const token = await tx.runnerRegistrationTokens.findById(actor.tokenId);
      if (!token) throw refusal(undefined, at);
      assertPlatform(token.labels, input.platform);
      const runner: Runner = {
        id: newId('run'),
        name: input.name,
        labels: token.labels,
        createdAt: at,
        lastSeenAt: null,
        platform: input.platform,
        draining: false,
      };
      if (!(await tx.runnerRegistrationTokens.spend(token.id, runner.id, at))) {
        // Read again: on Postgres this sees what the winning registration committed.
        throw refusal(await tx.runnerRegistrationTokens.findById(token.id), at);
      }
      await tx.runners.insert(runner, hashOpaqueToken(secret));
      await tx.audit.insert(
        await this.audit.rowOf(actor, {
          action: 'runner.registered',
          org: null,
          object: { type: 'runner', id: runner.id },
          detail: { name: runner.name, registrationToken: token.id },
        }),
      );
      return { id: runner.id, name: runner.name, labels: runner.labels, token: secret };
    });
  }
}
