import { StatusOutboxRepository } from '../src/statuses';
import { startAppOn } from './backend-app';
import { backends } from './backends';
import { createBuildWorld, type BuildWorld } from './build-world';
import type { TestApp } from './harness';

// The outbox claim on its own (no sender runs in this app, so rows stay until claimed here):
// only the oldest row of a commit is claimable, and a live lease keeps other claimers off.
describe.each(backends)('status outbox claims on $name', (backend) => {
  let app: TestApp;
  let world: BuildWorld;
  let outbox: StatusOutboxRepository;
  const x = 'e'.repeat(40);
  const y = 'f'.repeat(40);
  const at = (ms: number) => new Date(Date.parse('2030-01-01T00:00:00.000Z') + ms).toISOString();

  beforeAll(async () => {
    app = await startAppOn(backend);
    world = await createBuildWorld(app, { githubRepo: 'acme/web', githubToken: 'ghs_claims' });
    outbox = new StatusOutboxRepository(app.database.db, backend.name === 'postgres');
  });
  afterAll(async () => {
    await app.close();
  });

  it('hands out the oldest row per commit, each once while its lease lives', async () => {
    const first = await world.trigger({ commit: x });
    await app.call('POST', `/v1/orgs/acme/repos/web/builds/${first.number}/cancel`, {
      token: app.adminToken,
    });
    const other = await world.trigger({ commit: y });
    // Rows: x queued, x canceled, y queued. Only the heads of x and y are due.
    const claimed = await outbox.claimDue('a', at(0), at(60_000), 10);
    expect(claimed.map((row) => [row.commit, row.buildStatus, row.number])).toEqual([
      [x, 'queued', first.number],
      [y, 'queued', other.number],
    ]);
    expect(claimed.every((row) => row.attempts === 1)).toBe(true);
    // Leased to "a": nothing for "b", and x's second row still waits behind its first.
    expect(await outbox.claimDue('b', at(1_000), at(61_000), 10)).toEqual([]);

    const [headOfX, headOfY] = claimed;
    await outbox.remove(headOfX!.id, 'a');
    await outbox.retryAt(headOfY!.id, 'a', at(5_000), 'GitHub answered 503');
    // Not a's any more: b's removal of it changes nothing.
    await outbox.remove(headOfY!.id, 'b');
    const next = await outbox.claimDue('b', at(2_000), at(62_000), 10);
    expect(next.map((row) => [row.commit, row.buildStatus])).toEqual([[x, 'canceled']]);
    const retried = await outbox.claimDue('b', at(5_000), at(65_000), 10);
    expect(retried.map((row) => [row.commit, row.attempts])).toEqual([[y, 2]]);
    // A lease that ran out (its sender died) is taken over.
    const takenOver = await outbox.claimDue('c', at(70_000), at(130_000), 10);
    expect(takenOver.map((row) => row.commit).sort()).toEqual([x, y]);
    for (const row of takenOver) await outbox.remove(row.id, 'c');
    expect(await outbox.pending()).toEqual([]);
  });
});
