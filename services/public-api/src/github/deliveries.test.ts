import { loadWebhookExamples } from '@gibbon/test-kit';
import type { BuildTrigger } from './build-trigger';
import { interpretDelivery } from './deliveries';
import type { DeliveryOutcome } from './delivery-outcome';

const deliveryId = '72d3162e-cc78-11e3-81ab-4c9367dc0958';

/** The outcome of `payload` after a JSON round trip, as the route hands it over. */
function interpret(event: string, payload: unknown): DeliveryOutcome {
  return interpretDelivery({ event, deliveryId, payload: JSON.parse(JSON.stringify(payload)) });
}

function triggerOf(outcome: DeliveryOutcome): BuildTrigger {
  if (outcome.kind !== 'build') throw new Error(`expected a build, got ${JSON.stringify(outcome)}`);
  return outcome.trigger;
}

function reasonOf(outcome: DeliveryOutcome): string {
  if (outcome.kind !== 'ignored') throw new Error(`expected ignored, got ${outcome.kind}`);
  return outcome.reason;
}

describe('interpretDelivery: every captured push', () => {
  const pushes = loadWebhookExamples('push');

  it('builds the three captured pushes that create a ref and ignores the four deletions', () => {
    const outcomes = pushes.map((example) => interpret('push', example.payload).kind);
    expect(outcomes.filter((kind) => kind === 'build')).toHaveLength(3);
    expect(outcomes.filter((kind) => kind === 'ignored')).toHaveLength(4);
  });

  it.each(pushes.map((example, index) => [index, example.payload.ref, example]))(
    'push example %i (%s)',
    (_index, _ref, { payload }) => {
      const outcome = interpret('push', payload);
      const tag = payload.ref.startsWith('refs/tags/') ? payload.ref.slice(10) : null;
      const branch = payload.ref.startsWith('refs/heads/') ? payload.ref.slice(11) : null;
      if (payload.deleted) {
        expect(reasonOf(outcome)).toBe(
          tag
            ? `tag ${JSON.stringify(tag)} was deleted`
            : `branch ${JSON.stringify(branch)} was deleted`,
        );
        return;
      }
      const trigger = triggerOf(outcome);
      expect(trigger).toMatchObject({
        event: 'push',
        githubRepo: 'Codertocat/Hello-World',
        ref: payload.ref,
        branch,
        tag,
        commit: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
        // The tag was pushed at a commit whose message differs from the branch's first commit.
        message: tag ? 'Adding a .gitignore file' : 'Initial commit',
        author: { name: 'Codertocat', email: '21031067+Codertocat@users.noreply.github.com' },
        pullRequest: null,
        trusted: true,
      });
      // The tag push lists no commits; the branch pushes list the commit that added README.md.
      expect(trigger.changedFiles).toEqual(payload.commits.length > 0 ? ['README.md'] : []);
      expect(trigger.contentKey).toMatch(/^[0-9a-f]{64}$/);
    },
  );
});

describe('interpretDelivery: every captured pull_request', () => {
  const pullRequests = loadWebhookExamples('pull_request');
  const built = new Set(['opened', 'synchronize', 'reopened']);

  it('builds 7 of the 29 captured pull_request deliveries', () => {
    const kinds = pullRequests.map((example) => interpret('pull_request', example.payload).kind);
    expect(kinds).toHaveLength(29);
    expect(kinds.filter((kind) => kind === 'build')).toHaveLength(7);
  });

  it.each(pullRequests.map((example, index) => [index, example.action, example]))(
    'pull_request example %i (%s)',
    (_index, action, { payload }) => {
      const outcome = interpret('pull_request', payload);
      if (action === 'closed') {
        // Closed (merged or not): its builds are canceled, nothing is built.
        expect(outcome).toEqual({
          kind: 'closed',
          githubRepo: 'Codertocat/Hello-World',
          number: 2,
          ref: 'refs/pull/2/head',
        });
        return;
      }
      if (!built.has(action ?? '')) {
        expect(reasonOf(outcome)).toBe(
          `pull_request action "${action}" is not built; only opened, synchronize and reopened are`,
        );
        return;
      }
      expect(triggerOf(outcome)).toEqual({
        event: 'pull_request',
        githubRepo: 'Codertocat/Hello-World',
        ref: 'refs/pull/2/head',
        branch: 'changes',
        tag: null,
        commit: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
        message: null,
        author: null,
        changedFiles: [],
        changedFilesComplete: false,
        pullRequest: {
          number: 2,
          title: 'Update the README with new information.',
          headRepo: 'Codertocat/Hello-World',
          headBranch: 'changes',
          baseBranch: 'master',
          fork: false,
        },
        trusted: true,
        contentKey: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      });
    },
  );
});

describe('interpretDelivery: pull requests from forks', () => {
  const [opened] = loadWebhookExamples('pull_request', { action: 'opened' });

  function withHeadRepo(repo: unknown): unknown {
    const payload = structuredClone(opened!.payload) as unknown as {
      pull_request: { head: { repo: unknown } };
    };
    payload.pull_request.head.repo = repo;
    return payload;
  }

  it('builds a fork pull request untrusted, keeping the base repository for matching', () => {
    const base = opened!.payload.repository;
    const fork = { ...base, id: base.id + 1, full_name: 'forker/Hello-World' };
    const trigger = triggerOf(interpret('pull_request', withHeadRepo(fork)));
    expect(trigger.trusted).toBe(false);
    expect(trigger.githubRepo).toBe('Codertocat/Hello-World');
    expect(trigger.pullRequest?.headRepo).toBe('forker/Hello-World');
    expect(trigger.pullRequest?.fork).toBe(true);
    expect(trigger.commit).toBe('ec26c3e57ca3a959ca5aad62de7213c562f8c821');
  });

  it('treats a pull request whose head repository was deleted as untrusted', () => {
    const trigger = triggerOf(interpret('pull_request', withHeadRepo(null)));
    expect(trigger.trusted).toBe(false);
    expect(trigger.pullRequest?.headRepo).toBeNull();
    expect(trigger.pullRequest?.fork).toBe(true);
  });

  it('trusts the same repository under a new name (compared by id)', () => {
    const base = opened!.payload.repository;
    const renamed = { ...base, full_name: 'Codertocat/Renamed' };
    expect(triggerOf(interpret('pull_request', withHeadRepo(renamed))).trusted).toBe(true);
  });
});

describe('interpretDelivery: other events', () => {
  it('answers every captured ping as a ping', () => {
    const pings = loadWebhookExamples('ping');
    expect(pings.length).toBeGreaterThan(0);
    for (const { payload } of pings) expect(interpret('ping', payload)).toEqual({ kind: 'ping' });
  });

  it.each(['issues', 'release', 'create', 'delete', 'workflow_run'] as const)(
    'ignores %s with a reason',
    (event) => {
      const [example] = loadWebhookExamples(event);
      expect(reasonOf(interpret(event, example!.payload))).toBe(
        `event "${event}" is not built; only push and pull_request start builds`,
      );
    },
  );
});
