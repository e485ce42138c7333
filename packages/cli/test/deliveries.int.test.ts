import type { DeliveryList } from '@gibbon/contracts';
import { githubDelivery, loadWebhookExamples } from '@gibbon/test-kit';
import { cliAgainstApi } from './cli-against-api';

const [push] = loadWebhookExamples('push').filter(
  (example) => !example.payload.deleted && example.payload.commits.length > 0,
);

// `gibbon deliveries` against a real public-api, after two signed GitHub deliveries: one
// built, one ignored by the repository's trigger rules.
describe('gibbon deliveries against a real public-api', () => {
  const session = cliAgainstApi('gibbon-cli-deliveries-');
  const { gibbon } = session;

  async function deliver(webhook: { id: string; secret: string }, branch: string, sha: string) {
    if (!push) throw new Error('@octokit/webhooks-examples has no branch push example.');
    const payload = { ...push.payload, ref: `refs/heads/${branch}`, after: sha };
    const { headers, body } = githubDelivery({ event: 'push', payload, secret: webhook.secret });
    const answer = await fetch(`${session.api.url}/webhooks/github/${webhook.id}`, {
      method: 'POST',
      headers,
      body,
    });
    expect(answer.ok).toBe(true);
  }

  it('lists what came of each delivery, pages with --cursor and prints JSON', async () => {
    const repo = await session.api.call('POST', '/v1/orgs/globex/repos', {
      name: 'web',
      url: 'https://git.example.test/globex/web.git',
      triggers: { branches: ['main'] },
    });
    expect(repo.status).toBe(201);
    const webhook = await session.api.call('POST', '/v1/orgs/globex/repos/web/webhooks');
    const created = (await webhook.json()) as { id: string; secret: string };
    await deliver(created, 'main', 'a'.repeat(40));
    await deliver(created, 'feature/x', 'b'.repeat(40));

    const listed = await gibbon(['deliveries', '--repo', 'globex/web']);
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RECEIVED +EVENT +OUTCOME +DELIVERY$/);
    expect(lines[1]).toMatch(
      /^\S+ +push +ignored: branch "feature\/x" matches none of triggers.branches \["main"\] +\S+$/,
    );
    expect(lines[2]).toMatch(/^\S+ +push +build #1 +\S+$/);
    expect(lines).toHaveLength(3);

    const first = await gibbon(['deliveries', '--repo', 'globex/web', '--limit', '1']);
    const cursor = /^Older deliveries: --cursor (\S+)$/m.exec(first.stdout)?.[1];
    expect(cursor).toBeDefined();
    const older = await gibbon(['deliveries', '--repo', 'globex/web', '--cursor', cursor ?? '']);
    expect(older.stdout).toMatch(/build #1/);
    expect(older.stdout).not.toMatch(/ignored/);

    const json = await gibbon(['deliveries', '--repo', 'globex/web', '--json']);
    const page = JSON.parse(json.stdout) as DeliveryList;
    expect(page.items.map((item) => item.outcome)).toEqual(['ignored', 'build']);

    const refused = await gibbon(['deliveries', '--repo', 'globex/web', '--limit', '500']);
    expect(refused).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--limit must be a whole number from 1 to 100') as string,
    });
  }, 90_000);
});
