import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { start } from '../src/main.js';

// The service as it runs, against the database DATABASE_URL names (in CI: the job's Postgres
// service container), driven over HTTP. Slugs carry this run's id, so runs can share a database.
const run = Date.now().toString(36);
let server;
let base;

before(async () => {
  server = await start({ databaseUrl: process.env.DATABASE_URL, port: 0 });
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => new Promise((resolve) => server?.close(resolve)));

function post(body) {
  return fetch(`${base}/links`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

test('a link is created and read back', async () => {
  const created = await post({ slug: `docs-${run}`, url: 'https://example.com/docs' });
  assert.equal(created.status, 201);
  const read = await fetch(`${base}/links/docs-${run}`);
  assert.equal(read.status, 200);
  assert.equal((await read.json()).url, 'https://example.com/docs');
});

test('a short link redirects to its url', async () => {
  await post({ slug: `home-${run}`, url: 'https://example.com/' });
  const answer = await fetch(`${base}/home-${run}`, { redirect: 'manual' });
  assert.equal(answer.status, 302);
  assert.equal(answer.headers.get('location'), 'https://example.com/');
});

test('a taken slug is refused with 409', async () => {
  assert.equal((await post({ slug: `twice-${run}`, url: 'https://example.com/1' })).status, 201);
  const again = await post({ slug: `twice-${run}`, url: 'https://example.com/2' });
  assert.equal(again.status, 409);
  assert.deepEqual(await again.json(), { error: 'that slug is taken' });
});

test('a url the schema does not allow is refused with 400', async () => {
  const answer = await post({ slug: `bad-${run}`, url: 'javascript:alert(1)' });
  assert.equal(answer.status, 400);
  assert.equal((await fetch(`${base}/links/bad-${run}`)).status, 404);
});
