import { rm } from 'node:fs/promises';
import { startRecordingServer, startS3Server } from '@gibbon/test-kit';
import type { Page } from 'playwright-core';
import { waitUntil } from '../build/harness';
import { Stack } from '../build/harness/stack';
import { withServiceLogs } from '../build/harness/with-logs';
import { BrowserSession, buildWebPage } from './browser';

// The settings page's schedules section in a real Chromium against public-api as a process
// (no runner: scheduled builds stay queued, which is all the page shows of them).
jest.setTimeout(180_000);

const org = 'acme';
const repo = 'nightly';
const reposPath = `/v1/orgs/${org}/repos/${repo}`;

let stack: Stack;
let webDir: string;
let browser: BrowserSession;
let page: Page;

interface ScheduleAnswer {
  readonly id: string;
  readonly cron: string;
  readonly nextRunAt: string | null;
  readonly lastRun: {
    readonly covers: number;
    readonly buildNumber: number | null;
    readonly ignoredReason: string | null;
  } | null;
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
    url: 'http://127.0.0.1:9/acme/nightly.git',
    mainBranch: 'trunk',
  });
  browser = await BrowserSession.launch();
  ({ page } = await browser.signedIn(stack.url, stack.admin.token));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  if (webDir) await rm(webDir, { recursive: true, force: true });
});

const inStack = (test: () => Promise<void>) => () => withServiceLogs(() => stack.logs(), test);

const section = () => page.getByRole('region', { name: 'Schedules' });
const rowOf = (cron: string) => section().getByRole('row').filter({ hasText: cron });

/** What the page prints for a time: UTC, to the second (the time/ helpers' `formatAbsolute`). */
const utcText = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

const schedules = async () =>
  (await stack.admin.ok<{ items: ScheduleAnswer[] }>('GET', `${reposPath}/schedules`)).items;

/**
 * A UTC expression whose only ticks are `offsetsS` seconds from now: all in one minute of this
 * day of this year (it waits for a minute with room), so no tick follows them for a year.
 */
async function ticksFromNow(offsetsS: readonly number[]): Promise<string> {
  for (;;) {
    const now = Date.now();
    const times = offsetsS.map((offset) => new Date(now + offset * 1000));
    const at = times[0]!;
    if (times.every((time) => time.getUTCMinutes() === at.getUTCMinutes())) {
      const seconds = times.map((time) => time.getUTCSeconds()).join(',');
      return `${seconds} ${at.getUTCMinutes()} ${at.getUTCHours()} ${at.getUTCDate()} ${at.getUTCMonth() + 1} *`;
    }
    await new Promise((done) => setTimeout(done, 500));
  }
}

const lastRunOf = (cron: string, done: (run: ScheduleAnswer['lastRun']) => boolean) =>
  waitUntil(
    `the last run of ${cron}`,
    async () => (await schedules()).find((s) => s.cron === cron && done(s.lastRun)),
    { timeoutMs: 60_000, intervalMs: 250, describe: async () => JSON.stringify(await schedules()) },
  );

describe('the schedules section of the settings page', () => {
  test(
    'adds a schedule through the form, refuses a bad expression in the server’s words, pauses and deletes it',
    inStack(async () => {
      await page.goto(`${stack.url}/orgs/${org}/repos/${repo}/settings`);
      await section().getByText('No schedules yet.').waitFor();
      await browser.screenshot(page, '20-schedules-empty');
      const browserZone = await page.evaluate(
        () => Intl.DateTimeFormat().resolvedOptions().timeZone,
      );
      expect(await section().getByLabel('Time zone').inputValue()).toBe(browserZone);
      expect(await section().getByLabel('Branch').inputValue()).toBe('trunk');

      await section().getByLabel('Cron expression').fill('61 * * * *');
      await section().getByRole('button', { name: 'Add schedule' }).click();
      await section()
        .getByRole('alert')
        .filter({ hasText: 'cron "61 * * * *" is not a cron expression' })
        .waitFor();
      await browser.screenshot(page, '21-schedules-bad-expression');

      await section().getByLabel('Cron expression').fill('0 3 * * 1-5');
      await section().getByLabel('Time zone').fill('Europe/Berlin');
      await section().getByLabel('Description').fill('Nightly full test run');
      await section().getByRole('button', { name: 'Add schedule' }).click();
      const row = rowOf('0 3 * * 1-5');
      await row.waitFor();
      expect(await section().getByRole('alert').count()).toBe(0);
      const [made] = await schedules();
      expect(made?.cron).toBe('0 3 * * 1-5');
      expect(made?.nextRunAt).toMatch(/^\d{4}-/);
      await row.getByText(utcText(made!.nextRunAt!)).waitFor();
      await row.getByText(/^(in \d+ h|in \d+ min|tomorrow|in \d days)$/).waitFor();
      await row.getByText('Europe/Berlin').waitFor();
      await row.getByText('Nightly full test run').waitFor();
      await row.getByRole('cell', { name: 'trunk' }).waitFor();
      await row.getByText('not yet').waitFor();
      await row.getByText('Enabled', { exact: true }).waitFor();
      await browser.screenshot(page, '22-schedules-added');

      await row.getByRole('button', { name: 'Pause' }).click();
      await row.getByText('Paused', { exact: true }).waitFor();
      await row.getByRole('button', { name: 'Resume' }).waitFor();
      expect((await schedules())[0]).toMatchObject({ enabled: false, nextRunAt: null });

      await row.getByRole('button', { name: 'Delete' }).click();
      await row.getByRole('button', { name: 'Keep' }).click();
      await row.getByRole('button', { name: 'Delete' }).click();
      await row.getByRole('button', { name: 'Confirm delete' }).click();
      await section().getByText('No schedules yet.').waitFor();
      expect(await schedules()).toEqual([]);
    }),
  );

  test(
    'shows the build a tick queued, how many missed ticks it covers, and a tick the trigger rules ignored',
    inStack(async () => {
      // Two ticks while public-api is down: the start after builds once, for the latest.
      const missed = await ticksFromNow([4, 6]);
      await stack.admin.ok('POST', `${reposPath}/schedules`, { cron: missed, timezone: 'UTC' });
      expect(await stack.api.stop()).toEqual({ code: 0, signal: null });
      await new Promise((done) => setTimeout(done, 8_000));
      await stack.startApi();
      const built = await lastRunOf(missed, (run) => run?.buildNumber != null);
      expect(built.lastRun).toMatchObject({ covers: 2 });

      await stack.admin.ok('PATCH', reposPath, { triggers: { events: ['push'] } });
      const ignored = await ticksFromNow([3]);
      await stack.admin.ok('POST', `${reposPath}/schedules`, { cron: ignored, timezone: 'UTC' });
      const turnedAway = await lastRunOf(ignored, (run) => run?.ignoredReason != null);

      await page.goto(`${stack.url}/orgs/${org}/repos/${repo}/settings`);
      const builtRow = rowOf(missed);
      await builtRow.getByText('covers 2 ticks', { exact: false }).waitFor();
      await rowOf(ignored).getByText(`ignored: ${turnedAway.lastRun!.ignoredReason!}`).waitFor();
      await browser.screenshot(page, '23-schedules-last-runs');
      const number = built.lastRun!.buildNumber!;
      await builtRow.getByRole('link', { name: `#${number}` }).click();
      await page.waitForURL(`**/orgs/${org}/repos/${repo}/builds/${number}`);
      await page.getByText('schedule', { exact: true }).first().waitFor();
      await stack.admin.ok('PATCH', reposPath, { triggers: {} });
    }),
  );

  test(
    'an org read token sees the schedules and no control that changes them',
    inStack(async () => {
      const tokens = `/v1/orgs/${org}/tokens`;
      const viewer = { name: 'viewer', role: 'read' };
      const { secret } = await stack.admin.ok<{ secret: string }>('POST', tokens, viewer);
      const reader = await browser.signedIn(stack.url, secret);
      await reader.page.goto(`${stack.url}/orgs/${org}/repos/${repo}/settings`);
      const list = reader.page.getByRole('region', { name: 'Schedules' });
      await list.getByRole('row').nth(1).waitFor();
      expect(await list.getByRole('button').count()).toBe(0);
      expect(await list.getByLabel('Cron expression').count()).toBe(0);
      await reader.context.close();
      expect(browser.pageErrors).toEqual([]);
    }),
  );
});
