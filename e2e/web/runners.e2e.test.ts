import { rm } from 'node:fs/promises';
import type { Runner } from '@gibbon/contracts';
import { startRecordingServer, startS3Server } from '@gibbon/test-kit';
import type { Page } from 'playwright-core';
import { waitUntil } from '../build/harness';
import { Stack } from '../build/harness/stack';
import { withServiceLogs } from '../build/harness/with-logs';
import { BrowserSession, buildWebPage } from './browser';

// The runners page in a real Chromium against public-api and a runner process: each runner's
// labels, platform and state, and draining one from the page.
jest.setTimeout(180_000);

let stack: Stack;
let webDir: string;
let browser: BrowserSession;
let page: Page;

beforeAll(async () => {
  webDir = await buildWebPage();
  stack = await Stack.start(
    { github: await startRecordingServer(), s3: await startS3Server() },
    { apiEnv: { GIBBON_WEB_DIR: webDir } },
  );
  await stack.addRunner('page');
  browser = await BrowserSession.launch();
  ({ page } = await browser.signedIn(stack.url, stack.admin.token));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  if (webDir) await rm(webDir, { recursive: true, force: true });
});

const inStack = (test: () => Promise<void>) => () => withServiceLogs(() => stack.logs(), test);

it(
  'shows the platform a runner reported, and drains it after a confirm',
  inStack(async () => {
    const runners = async () =>
      (await stack.admin.ok<{ items: Runner[] }>('GET', '/v1/runners')).items;
    // The platform is what the runner sent with its first claim.
    await waitUntil(
      'the runner to report its platform',
      async () => (await runners())[0]?.platform ?? undefined,
      {
        timeoutMs: 30_000,
      },
    );
    await page.goto(`${stack.url}/runners`);
    const row = page.getByRole('row').filter({ hasText: 'page' });
    await row.getByRole('cell', { name: `${process.platform}/${process.arch}` }).waitFor();
    await row.getByText('online').waitFor();
    await row.getByRole('button', { name: 'Drain' }).click();
    await browser.screenshot(page, '25-runners-drain-confirm');
    await row.getByRole('button', { name: 'Confirm drain' }).click();
    await row.getByText('draining').waitFor();
    await row.getByText('gets no new builds').waitFor();
    expect((await runners())[0]?.draining).toBe(true);
    await browser.screenshot(page, '26-runners-draining');
  }),
);
