import { rm } from 'node:fs/promises';
import { githubDelivery, startRecordingServer, startS3Server } from '@gibbon/test-kit';
import type { Page } from 'playwright-core';
import { pushPayload } from '../build/harness/project';
import { Stack } from '../build/harness/stack';
import { withServiceLogs } from '../build/harness/with-logs';
import { BrowserSession, buildWebPage } from './browser';

// The settings page's "Recent deliveries" in a real Chromium against public-api as a process,
// after signed GitHub deliveries: builds (queued: no runner) and ones the trigger rules ignored.
jest.setTimeout(180_000);

const org = 'acme';
const repo = 'hooks';

let stack: Stack;
let webDir: string;
let browser: BrowserSession;
let page: Page;
let webhook: { id: string; secret: string };

async function deliverPush(branch: string, n: number): Promise<void> {
  const payload = pushPayload(n.toString(16).padStart(40, 'd'), branch, `change ${n}`);
  const { headers, body } = githubDelivery({ event: 'push', payload, secret: webhook.secret });
  const answer = await fetch(`${stack.url}/webhooks/github/${webhook.id}`, {
    method: 'POST',
    headers,
    body,
  });
  if (!answer.ok) throw new Error(`delivery ${n}: ${answer.status} ${await answer.text()}`);
}

beforeAll(async () => {
  webDir = await buildWebPage();
  stack = await Stack.start(
    { github: await startRecordingServer(), s3: await startS3Server() },
    { serviceEnv: { GIBBON_GIT_HOSTS: '127.0.0.1' }, apiEnv: { GIBBON_WEB_DIR: webDir } },
  );
  await stack.admin.ok('POST', '/v1/orgs', { slug: org });
  await stack.admin.ok('POST', `/v1/orgs/${org}/repos`, {
    name: repo,
    url: 'http://127.0.0.1:9/acme/hooks.git',
    triggers: { branches: ['main'] },
  });
  webhook = await stack.admin.ok('POST', `/v1/orgs/${org}/repos/${repo}/webhooks`);
  browser = await BrowserSession.launch();
  ({ page } = await browser.signedIn(stack.url, stack.admin.token));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  if (webDir) await rm(webDir, { recursive: true, force: true });
});

const inStack = (test: () => Promise<void>) => () => withServiceLogs(() => stack.logs(), test);
const section = () => page.getByRole('region', { name: 'Recent deliveries' });

it(
  'says so before any delivery arrived',
  inStack(async () => {
    await page.goto(`${stack.url}/orgs/${org}/repos/${repo}/settings`);
    await section().getByText('No deliveries yet').waitFor();
  }),
);

it(
  'lists deliveries newest first with their build or the rule that ignored them, and pages',
  inStack(async () => {
    for (let n = 1; n <= 21; n++) await deliverPush('main', n);
    await deliverPush('feature/login', 22);
    await page.goto(`${stack.url}/orgs/${org}/repos/${repo}/settings`);
    const rows = section().getByRole('row');
    await rows.nth(1).waitFor();
    // A header and the newest 20.
    expect(await rows.count()).toBe(21);
    const newest = rows.nth(1);
    expect(await newest.textContent()).toContain(
      'ignored branch "feature/login" matches none of triggers.branches ["main"]',
    );
    expect(await rows.nth(2).getByRole('link', { name: 'build #21' }).count()).toBe(1);
    await browser.screenshot(page, '24-deliveries');
    await section().getByRole('button', { name: 'Show older deliveries' }).click();
    await rows.nth(22).waitFor();
    expect(await rows.count()).toBe(23);
    expect(await rows.nth(22).getByRole('link', { name: 'build #1' }).count()).toBe(1);
    expect(await section().getByRole('button', { name: 'Show older deliveries' }).count()).toBe(0);
    await rows.nth(2).getByRole('link', { name: 'build #21' }).click();
    await page.waitForURL(`**/orgs/${org}/repos/${repo}/builds/21`);
  }),
);
