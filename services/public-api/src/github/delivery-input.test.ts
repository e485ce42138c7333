import { InputError } from '@gibbon/contracts';
import { loadWebhookExamples } from '@gibbon/test-kit';
import { interpretDelivery, type DeliveryInput } from './deliveries';
import type { DeliveryOutcome } from './delivery-outcome';

const deliveryId = '72d3162e-cc78-11e3-81ab-4c9367dc0958';
const [branchPush] = loadWebhookExamples('push').filter(
  (e) => e.payload.ref === 'refs/heads/master',
);
const [opened] = loadWebhookExamples('pull_request', { action: 'opened' });

type PushPayload = NonNullable<typeof branchPush>['payload'];

/** A deep copy of a captured payload, to vary one field. */
function copyOf<T>(payload: T): T {
  return structuredClone(payload);
}

/** A copy of `payload` without `key`, to test a missing field. */
function without<T extends object>(payload: T, key: keyof T): Partial<T> {
  const copy: Partial<T> = { ...payload };
  delete copy[key];
  return copy;
}

function interpret(input: Partial<DeliveryInput> & Pick<DeliveryInput, 'payload'>) {
  return interpretDelivery({ event: 'push', deliveryId, ...input });
}

function inputErrorOf(input: Partial<DeliveryInput> & Pick<DeliveryInput, 'payload'>): InputError {
  try {
    interpret(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected interpretDelivery to throw an InputError');
}

function contentKeyOf(outcome: DeliveryOutcome): string {
  if (outcome.kind !== 'build') throw new Error(`expected a build, got ${outcome.kind}`);
  return outcome.trigger.contentKey;
}

describe('interpretDelivery: malformed deliveries', () => {
  it.each([
    ['an array', []],
    ['null', null],
    ['a string', 'push'],
    ['a number', 7],
  ])('refuses a payload that is %s', (_case, payload) => {
    expect(inputErrorOf({ payload }).message).toBe('The push payload must be a JSON object.');
  });

  it('refuses a push without `after`, naming the field', () => {
    const payload = without(branchPush!.payload, 'after');
    expect(inputErrorOf({ payload }).message).toMatch(/^The push payload is not shaped .*after:/);
  });

  it('refuses a push whose commit id is not a full commit id, without quoting it', () => {
    const payload = copyOf(branchPush!.payload);
    payload.after = '$(id)';
    const error = inputErrorOf({ payload });
    expect(error.message).toMatch(/after: expected a full commit id/);
    expect(error.message).not.toContain('$(id)');
  });

  it('refuses an opened pull request without a head commit', () => {
    const { pull_request: pullRequest, ...rest } = opened!.payload;
    const head = without(pullRequest.head, 'sha');
    const payload = { ...rest, pull_request: { ...pullRequest, head } };
    expect(inputErrorOf({ event: 'pull_request', payload }).message).toMatch(
      /pull_request\.head\.sha/,
    );
  });

  it('ignores a labeled pull request without reading more than its action', () => {
    const outcome = interpret({ event: 'pull_request', payload: { action: 'labeled' } });
    expect(outcome).toEqual({
      kind: 'ignored',
      reason:
        'pull_request action "labeled" is not built; only opened, synchronize and reopened are',
    });
  });

  it.each([
    ['an event with capitals', { event: 'Push' }],
    ['an event with a newline', { event: 'push\n' }],
    ['an empty event', { event: '' }],
    ['a delivery id with spaces', { deliveryId: 'a b' }],
    ['an empty delivery id', { deliveryId: '' }],
  ])('refuses %s', (_case, headers) => {
    expect(inputErrorOf({ payload: branchPush!.payload, ...headers }).message).toMatch(
      /X-GitHub-(Event|Delivery) header/,
    );
  });

  it('ignores pushes to refs that are neither branches nor tags', () => {
    const payload = copyOf(branchPush!.payload);
    payload.ref = 'refs/notes/commits';
    expect(interpret({ payload })).toEqual({
      kind: 'ignored',
      reason: 'ref "refs/notes/commits" is neither a branch nor a tag',
    });
  });

  it('ignores a push with an all-zero `after` even when `deleted` is false', () => {
    const payload = copyOf(branchPush!.payload);
    payload.after = '0'.repeat(40);
    expect(interpret({ payload })).toEqual({
      kind: 'ignored',
      reason: 'branch "master" was deleted',
    });
  });
});

describe('interpretDelivery: changed files', () => {
  it('lists each path of the pushed commits once, in first-seen order', () => {
    const payload = copyOf(branchPush!.payload);
    const commit = payload.commits[0]!;
    payload.commits = [
      { ...commit, added: ['a.txt', 'b.txt'], modified: [], removed: [] },
      { ...commit, added: ['c.txt'], modified: ['a.txt'], removed: ['b.txt'] },
      { ...commit, added: [], modified: ['c.txt', 'd/e.txt'], removed: ['a.txt'] },
    ];
    const outcome = interpret({ payload });
    expect(outcome.kind === 'build' && outcome.trigger.changedFiles).toEqual([
      'a.txt',
      'b.txt',
      'c.txt',
      'd/e.txt',
    ]);
  });
});

describe('interpretDelivery: whether the changed files are complete', () => {
  const completeOf = (payload: unknown) => {
    const outcome = interpret({ payload });
    return outcome.kind === 'build' && outcome.trigger.changedFilesComplete;
  };

  it('is true for a push that lists its few commits, false when the list may be partial', () => {
    const payload = copyOf(branchPush!.payload);
    const commit = payload.commits[0]!;
    expect(completeOf({ ...payload, commits: [commit], forced: false })).toBe(true);
    expect(completeOf({ ...payload, commits: [] })).toBe(false);
    expect(completeOf({ ...payload, commits: [commit], forced: true })).toBe(false);
    expect(completeOf({ ...payload, commits: Array.from({ length: 19 }, () => commit) })).toBe(
      true,
    );
    expect(completeOf({ ...payload, commits: Array.from({ length: 20 }, () => commit) })).toBe(
      false,
    );
  });
});

describe('interpretDelivery: content key', () => {
  const push = branchPush!.payload;

  it('is the same for the same push under another delivery id', () => {
    const first = interpretDelivery({ event: 'push', deliveryId: 'one', payload: push });
    const again = interpretDelivery({ event: 'push', deliveryId: 'two', payload: push });
    expect(contentKeyOf(again)).toBe(contentKeyOf(first));
  });

  it('ignores the case of the repository name, as GitHub does', () => {
    const payload = copyOf(push);
    payload.repository.full_name = 'codertocat/hello-world';
    expect(contentKeyOf(interpret({ payload }))).toBe(contentKeyOf(interpret({ payload: push })));
  });

  it.each([
    ['ref', (p: PushPayload) => (p.ref = 'refs/heads/other')],
    ['commit', (p: PushPayload) => (p.after = 'a'.repeat(40))],
    ['repository', (p: PushPayload) => (p.repository.full_name = 'Codertocat/Other')],
  ])('differs when the %s differs', (_field, change) => {
    const payload = copyOf(push);
    change(payload);
    expect(contentKeyOf(interpret({ payload }))).not.toBe(
      contentKeyOf(interpret({ payload: push })),
    );
  });

  it('differs between a push and a pull request of the same commit', () => {
    const payload = copyOf(opened!.payload);
    payload.pull_request.head.sha = push.after;
    const pullRequest = interpret({ event: 'pull_request', payload });
    expect(contentKeyOf(pullRequest)).not.toBe(contentKeyOf(interpret({ payload: push })));
  });
});
