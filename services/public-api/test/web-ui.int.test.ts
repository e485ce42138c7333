import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from './harness';

// public-api serves the built web page at `/`: index.html for every page of the app (so a
// commit status link opens its build), hashed assets cached as immutable, a strict CSP, and
// the APIs untouched beside it.
describe('the web page served by public-api', () => {
  let folder: string;
  let app: TestApp;
  let unbuilt: TestApp;
  const index =
    '<!doctype html><title>Gibbon CI</title><script type="module" src="/assets/index-abc123.js"></script>';
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'gibbon-web-'));
    await mkdir(join(folder, 'assets'));
    await writeFile(join(folder, 'index.html'), index);
    await writeFile(join(folder, 'assets', 'index-abc123.js'), 'console.log("page")');
    await writeFile(join(folder, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    app = await startTestApp({ webDir: folder });
    unbuilt = await startTestApp({ webDir: join(folder, 'missing') });
  });
  afterAll(async () => {
    await app?.close();
    await unbuilt?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it.each(['/', '/orgs/acme/repos/web', '/orgs/acme/repos/web/builds/12/jobs/test'])(
    'answers %s with the page and a strict Content-Security-Policy',
    async (path) => {
      const answer = await app.call('GET', path);
      expect(answer.status).toBe(200);
      expect(answer.text).toBe(index);
      expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
      expect(answer.headers.get('cache-control')).toBe('no-cache');
      const csp = answer.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    },
  );

  it('serves hashed assets as immutable and a missing one as 404', async () => {
    const asset = await app.call('GET', '/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(await app.call('GET', '/assets/index-gone.js')).toMatchObject({ status: 404 });
    expect(await app.call('GET', '/favicon.svg')).toMatchObject({ status: 200 });
  });

  it('leaves the APIs as they were', async () => {
    expect(await app.call('GET', '/v1/orgs')).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthenticated' } },
    });
    expect(await app.call('GET', '/healthz')).toMatchObject({
      status: 200,
      body: { status: 'ok' },
    });
    expect(await app.call('GET', '/v1/nothing-here')).toMatchObject({ status: 404 });
    expect((await app.call('POST', '/')).status).toBe(404);
  });

  it('says how to build the page when it is not built', async () => {
    const answer = await unbuilt.call('GET', '/orgs/acme');
    expect(answer.status).toBe(503);
    expect(answer.text).toContain('pnpm build');
    expect(await unbuilt.call('GET', '/healthz')).toMatchObject({ status: 200 });
  });
});
