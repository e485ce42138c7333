import { loadWebhookExamples } from '@gibbon/test-kit';
import type { BuildTrigger } from './build-trigger';
import { interpretDelivery } from './deliveries';

/** Strings a forged or merely unusual delivery may carry; each must come out as it went in. */
const hostile: readonly (readonly [string, string])[] = [
  ['command substitution', '$(id)'],
  ['backticks', '`touch /tmp/gibbon-pwned`'],
  ['a command separator', ';rm -rf /'],
  ['newlines', 'first\nsecond\r\nthird'],
  ['ANSI escapes', '\u001b[31mred\u001b[0m\u001b]0;title\u0007'],
  ['a NUL byte', 'before\u0000after'],
  ['4 KB', 'x'.repeat(4096)],
  ['traversal', '../../../../etc/passwd'],
  ['quotes', `'"; DROP TABLE builds; --`],
  ['non-ASCII', 'zweig-ü-枝-🐒'],
];

const [branchPush] = loadWebhookExamples('push').filter(
  (e) => e.payload.ref === 'refs/heads/master',
);
const [opened] = loadWebhookExamples('pull_request', { action: 'opened' });

/** The trigger of `payload` after the JSON round trip the route does (serialise, parse). */
function triggerOf(event: 'push' | 'pull_request', payload: unknown): BuildTrigger {
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const outcome = interpretDelivery({
    event,
    deliveryId: 'hostile-1',
    payload: JSON.parse(body.toString('utf8')),
  });
  if (outcome.kind !== 'build') throw new Error(`expected a build, got ${JSON.stringify(outcome)}`);
  return outcome.trigger;
}

function expectSameBytes(actual: string | null | undefined, expected: string): void {
  expect(Buffer.from(actual ?? '', 'utf8').equals(Buffer.from(expected, 'utf8'))).toBe(true);
  expect(actual).toBe(expected);
}

describe.each(hostile)('a hostile string (%s) is kept as inert data', (_case, value) => {
  it('in a pushed branch name, commit message, author and file path', () => {
    const payload = structuredClone(branchPush!.payload);
    payload.ref = `refs/heads/${value}`;
    for (const commit of [...payload.commits, payload.head_commit!]) {
      commit.message = value;
      commit.author.name = value;
      commit.added = [value];
    }
    const trigger = triggerOf('push', payload);
    expectSameBytes(trigger.branch, value);
    expectSameBytes(trigger.ref, `refs/heads/${value}`);
    expectSameBytes(trigger.message, value);
    expectSameBytes(trigger.author?.name, value);
    expect(trigger.changedFiles).toEqual([value]);
  });

  it('in a pushed tag name', () => {
    const payload = structuredClone(branchPush!.payload);
    payload.ref = `refs/tags/${value}`;
    const trigger = triggerOf('push', payload);
    expectSameBytes(trigger.tag, value);
    expect(trigger.branch).toBeNull();
  });

  it("in a pull request's head branch and title", () => {
    const payload = structuredClone(opened!.payload);
    payload.pull_request.head.ref = value;
    payload.pull_request.title = value;
    const trigger = triggerOf('pull_request', payload);
    expectSameBytes(trigger.branch, value);
    expectSameBytes(trigger.pullRequest?.headBranch, value);
    expectSameBytes(trigger.pullRequest?.title, value);
    // The ref is built from the number, never from a payload string.
    expect(trigger.ref).toBe('refs/pull/2/head');
  });

  it('in the reason of a deleted branch, quoted and cut so it cannot act on a terminal', () => {
    const payload = { ...structuredClone(branchPush!.payload), ref: `refs/heads/${value}` };
    payload.deleted = true;
    const outcome = interpretDelivery({ event: 'push', deliveryId: 'hostile-2', payload });
    expect(outcome.kind).toBe('ignored');
    const reason = outcome.kind === 'ignored' ? outcome.reason : '';
    expect([...reason].filter((char) => char.charCodeAt(0) < 0x20)).toEqual([]);
    expect(reason.length).toBeLessThan(160);
    expect(reason).toMatch(/^branch ".*" was deleted$/);
  });
});
