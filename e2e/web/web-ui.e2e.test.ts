import { rm } from 'node:fs/promises';
import {
  ensureTestImage,
  githubDelivery,
  startGitRemote,
  startRecordingServer,
  startS3Server,
  type GitRemote,
} from '@gibbon/test-kit';
import type { Page } from 'playwright-core';
import { waitUntil } from '../build/harness';
import { containersWithLabel } from '../build/harness/docker';
import { Project, org, repoName } from '../build/harness/project';
import { Stack } from '../build/harness/stack';
import { withServiceLogs } from '../build/harness/with-logs';
import { BrowserSession, buildWebPage, signIn, type PageGlobals } from './browser';
import {
  approvalScript,
  flakyScript,
  hostileLogLines,
  hostileScript,
  liveScript,
  longScript,
  pushBuild,
} from './pipelines';

// The web page in a real Chromium against public-api and a build-runner as processes, used as
// a person would: by labels and roles. Screenshots of every page go to test-output/.
jest.setTimeout(180_000);

let stack: Stack;
let remote: GitRemote;
let project: Project;
let image: string;
let webDir: string;
let browser: BrowserSession;
let page: Page;

const repoPage = `/orgs/${org}/repos/${repoName}`;

beforeAll(async () => {
  [image, webDir] = await Promise.all([ensureTestImage(), buildWebPage()]);
  remote = await startGitRemote();
  stack = await Stack.start(
    { github: await startRecordingServer(), s3: await startS3Server() },
    { serviceEnv: { GIBBON_GIT_HOSTS: '127.0.0.1' }, apiEnv: { GIBBON_WEB_DIR: webDir } },
  );
  await stack.addRunner('main');
  project = await Project.create(stack.admin, {
    createRepository: (name, auth) => remote.createRepository(name, { auth }),
    sign: githubDelivery,
  });
  browser = await BrowserSession.launch();
  ({ page } = await browser.person());
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await remote?.close();
  if (webDir) await rm(webDir, { recursive: true, force: true });
});

const inStack = (test: () => Promise<void>) => () => withServiceLogs(() => stack.logs(), test);

/** The status badge of the page's title (the build's, or on a log page the job's). */
const titleStatus = (target: Page) => target.locator('h1 .status');

describe('the web page in Chromium', () => {
  test(
    'signs in with the admin token for an HttpOnly cookie, keeping no token in the page',
    inStack(async () => {
      await page.goto(stack.url);
      await page.getByLabel('API token').waitFor();
      await browser.screenshot(page, '01-sign-in');
      await signIn(page, stack.admin.token);
      await page.getByRole('link', { name: `${org}/${repoName}` }).waitFor();
      const [cookie] = await page.context().cookies();
      expect(cookie).toMatchObject({ name: 'gibbon_session', httpOnly: true, sameSite: 'Strict' });
      expect(cookie!.expires).toBeGreaterThan(Date.now() / 1000);
      const stored = await page.evaluate(() => {
        const { localStorage, sessionStorage, document } = globalThis as unknown as PageGlobals;
        return {
          local: JSON.stringify(localStorage),
          session: JSON.stringify(sessionStorage),
          cookie: document.cookie,
        };
      });
      expect(JSON.stringify(stored)).not.toContain(stack.admin.token);
      expect(stored.cookie).toBe('');
    }),
  );

  test(
    'follows a pushed build live: list, graph, a log that grows, and success without a reload',
    inStack(async () => {
      const number = await pushBuild(project, liveScript(image, 6));
      await page.goto(stack.url);
      await page.evaluate(() => ((globalThis as unknown as PageGlobals).stayed = true));
      await browser.screenshot(page, '02-home');
      await page.getByRole('link', { name: `${org}/${repoName}` }).click();
      const row = page.getByRole('row').filter({ hasText: `#${number}` });
      await row.waitFor();
      await row.getByText('ci: main pipeline').waitFor();
      await row.getByRole('link', { name: `#${number}` }).click();
      await page.getByRole('link', { name: /^Job compile: Running/ }).waitFor({ timeout: 60_000 });
      await page.getByRole('link', { name: /^Job test: Pending/ }).waitFor();
      await browser.screenshot(page, '03-build-running');
      await page.getByRole('link', { name: /^Job compile/ }).click();
      await page.waitForURL(`**${repoPage}/builds/${number}/jobs/compile`);
      const log = page.getByRole('log', { name: 'Job log' });
      await log.getByText('tick 2', { exact: true }).waitFor();
      expect(await titleStatus(page).textContent()).toContain('Running');
      // It grows while we watch, then the job passes, all without reloading.
      await log.getByText('tick 5', { exact: true }).waitFor();
      await log.getByText('compile finished', { exact: true }).waitFor();
      await titleStatus(page).filter({ hasText: 'Passed' }).waitFor();
      await expect(log.locator('.fg-green').first().textContent()).resolves.toBe('green');
      await log.getByText('Install dependencies', { exact: true }).waitFor();
      // Timestamps on demand: each line's time (UTC), the time its part of the log was stored.
      await page.getByRole('button', { name: 'Timestamps' }).click();
      const tick = log.locator('.log-row').filter({ hasText: /tick 1$/ });
      await tick
        .locator('.log-time')
        .filter({ hasText: /^\d\d:\d\d:\d\d$/ })
        .waitFor();
      await browser.screenshot(page, '04-job-log');
      await page.getByRole('link', { name: `#${number}` }).click();
      await titleStatus(page).filter({ hasText: 'Passed' }).waitFor({ timeout: 60_000 });
      await page.getByRole('link', { name: /^Job test: Passed/ }).waitFor();
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).stayed)).toBe(true);
      await browser.screenshot(page, '05-build-passed');
    }),
  );

  test(
    'shows a hostile commit message and hostile log lines as text, running none of them',
    inStack(async () => {
      const message =
        '<img src=x onerror="window.__pwned=1;alert(1)"> fix <script>alert(2)</script>';
      const number = await pushBuild(project, hostileScript(image), message);
      await page.goto(`${stack.url}${repoPage}/builds/${number}/jobs/hostile`);
      const log = page.getByRole('log', { name: 'Job log' });
      await log.getByText('hostile done', { exact: true }).waitFor({ timeout: 60_000 });
      for (const line of hostileLogLines) await log.getByText(line, { exact: true }).waitFor();
      await log.getByText('click me', { exact: true }).waitFor();
      await log.getByText('after the title', { exact: true }).waitFor();
      // The right-to-left override is shown as a mark, never applied: the name reads as sent.
      await log.getByText('abc\uFFFDgnp.exe', { exact: true }).waitFor();
      await browser.screenshot(page, '06-hostile-log');
      await page.goto(`${stack.url}${repoPage}`);
      await page
        .getByRole('row')
        .filter({ hasText: `#${number}` })
        .getByText(message)
        .waitFor();
      await browser.screenshot(page, '07-repo-builds');
      const injected = await page.evaluate(() => {
        const { document, __pwned } = globalThis as unknown as PageGlobals;
        return {
          pwned: __pwned,
          images: document.querySelectorAll('img[src="x"]').length,
          scripts: document.querySelectorAll('#app script').length,
          javascriptLinks: document.querySelectorAll('a[href^="javascript:"]').length,
          title: document.title,
        };
      });
      expect(injected).toEqual({
        pwned: undefined,
        images: 0,
        scripts: 0,
        javascriptLinks: 0,
        title: 'Gibbon CI',
      });
      expect(browser.dialogs).toEqual([]);
    }),
  );

  test(
    'cancels a running build from the page (its container goes), then retries it',
    inStack(async () => {
      const number = await pushBuild(project, longScript(image));
      await page.goto(`${stack.url}${repoPage}/builds/${number}`);
      await page.getByRole('link', { name: /^Job sleepy: Running/ }).waitFor({ timeout: 60_000 });
      const { id } = await project.build(number);
      await waitUntil(
        'the job container to run',
        async () => ((await containersWithLabel('gibbon.build', id)).length > 0 ? true : undefined),
        { timeoutMs: 30_000 },
      );
      await page.getByRole('button', { name: 'Cancel' }).click();
      await titleStatus(page).filter({ hasText: 'Canceled' }).waitFor({ timeout: 30_000 });
      await waitUntil(
        'the canceled build container to be removed',
        async () =>
          (await containersWithLabel('gibbon.build', id)).length === 0 ? true : undefined,
        { timeoutMs: 30_000 },
      );
      await browser.screenshot(page, '08-build-canceled');
      await page.getByRole('button', { name: 'Retry' }).click();
      await page.waitForURL(`**${repoPage}/builds/${number + 1}`);
      await page.getByRole('heading', { name: new RegExp(`#${number + 1}`) }).waitFor();
      expect((await project.build(number + 1)).retryOf).toBe(number);
      await page.getByRole('button', { name: 'Cancel' }).click();
      await titleStatus(page).filter({ hasText: 'Canceled' }).waitFor({ timeout: 30_000 });
    }),
  );

  test(
    'a job that waits for approval runs once approved on the page, which says who approved it',
    inStack(async () => {
      const number = await pushBuild(project, approvalScript(image));
      await page.goto(`${stack.url}${repoPage}/builds/${number}`);
      await page.getByRole('link', { name: /^Job deploy: Awaiting approval/ }).waitFor({
        timeout: 60_000,
      });
      await page.getByRole('link', { name: /^Job build: Passed/ }).waitFor();
      await page.getByRole('link', { name: /^Job announce: Pending/ }).waitFor();
      const { id } = await project.build(number);
      // It holds no container while it waits.
      expect(await containersWithLabel('gibbon.build', id)).toEqual([]);
      await page.getByLabel('Comment (optional)').fill('Ship it');
      await browser.screenshot(page, '11-build-awaiting-approval');
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.getByText(/deploy · Approved by admin · /).waitFor({ timeout: 30_000 });
      await titleStatus(page).filter({ hasText: 'Passed' }).waitFor({ timeout: 60_000 });
      await page.getByText('“Ship it”').waitFor();
      await browser.screenshot(page, '12-build-approved');
      const approved = await project.build(number);
      expect(approved.jobs.map((job) => [job.id, job.status])).toEqual([
        ['build', 'success'],
        ['deploy', 'success'],
        ['announce', 'success'],
      ]);
      expect(approved.jobs[1]!.approval).toMatchObject({
        decision: 'approved',
        by: 'admin',
        comment: 'Ship it',
      });
      const log = await project.jobLog(number, 'deploy');
      expect(log).toMatch(/^Approved by admin at \S+: Ship it\n\+ echo deployed\ndeployed\n$/);
    }),
  );

  test(
    'retries only the failed job from the page: the passed one is reused, its artifact read from the first build',
    inStack(async () => {
      const number = await pushBuild(project, flakyScript(image));
      await page.goto(`${stack.url}${repoPage}/builds/${number}`);
      await titleStatus(page).filter({ hasText: 'Failed' }).waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Retry failed jobs' }).click();
      await page.waitForURL(`**${repoPage}/builds/${number + 1}`);
      await titleStatus(page).filter({ hasText: 'Passed' }).waitFor({ timeout: 60_000 });
      await page.getByText(`lint (from #${number})`).waitFor();
      await browser.screenshot(page, '13-build-retried-failed-jobs');
      const again = await project.build(number + 1);
      expect(again).toMatchObject({ retryOf: number, reusedJobs: ['lint'] });
      expect(again.jobs.map((job) => [job.id, job.status, job.message])).toEqual([
        ['lint', 'success', `Reused from build #${number}, where it succeeded.`],
        ['test', 'success', null],
      ]);
      const log = await project.jobLog(number + 1, 'test');
      expect(log).toContain(
        `Restored artifact dist into dist (saved by build #${number}, whose job this build reuses)\n`,
      );
      expect(log).toContain('linted\n');
      expect(log).toContain('passed this time\n');
      expect(await project.jobLog(number + 1, '_script')).toContain(
        `Re-running the failed jobs of build #${number}: reusing lint; running test.`,
      );
      // The first build's lint job shows the output it set.
      await page.goto(`${stack.url}${repoPage}/builds/${number}/jobs/lint`);
      const outputs = page.getByRole('definition').filter({ hasText: /^3$/ });
      await page.getByLabel('Outputs').getByText('warnings', { exact: true }).waitFor();
      await outputs.waitFor();
      await browser.screenshot(page, '14-job-outputs');
    }),
  );

  test(
    'settings make a webhook shown once; runners are listed for the admin',
    inStack(async () => {
      await page.goto(`${stack.url}${repoPage}/settings`);
      await page.getByRole('button', { name: 'Create webhook' }).click();
      const payloadUrl = await page.getByRole('textbox', { name: 'Payload URL' }).inputValue();
      expect(payloadUrl).toMatch(new RegExp(`^${stack.url}/webhooks/github/wh_`));
      expect(
        (await page.getByRole('textbox', { name: 'Secret' }).inputValue()).length,
      ).toBeGreaterThanOrEqual(32);
      await page.getByRole('cell', { name: 'CANARY' }).waitFor();
      const repoPath = `/v1/orgs/${org}/repos/${repoName}`;
      const triggers = { branches: ['main', 'release/*'], pathsIgnore: ['docs/**'] };
      const concurrency = { mode: 'cancel-previous', protectedBranches: ['main'] };
      await stack.admin.ok('PATCH', repoPath, { triggers, concurrency });
      await page.reload();
      const rules = page.getByRole('region', { name: 'Build triggers' });
      await rules.getByRole('definition').filter({ hasText: 'main, release/*' }).waitFor();
      await rules.getByRole('definition').filter({ hasText: 'docs/**' }).waitFor();
      await rules
        .getByRole('definition')
        .filter({ hasText: 'a new build cancels the older ones, except on main' })
        .waitFor();
      await browser.screenshot(page, '09-settings');
      await stack.admin.ok('PATCH', repoPath, { triggers: {}, concurrency: {} });
      await page.getByRole('link', { name: 'Runners' }).click();
      await page.getByRole('cell', { name: /main/ }).first().waitFor();
      await browser.screenshot(page, '10-runners');
    }),
  );

  test(
    'an org read token sees only its org and no button that changes anything; sign-out ends it',
    inStack(async () => {
      await stack.admin.ok('POST', '/v1/orgs', { slug: 'other' });
      await stack.admin.ok('POST', '/v1/orgs/other/repos', {
        name: 'hidden',
        url: 'http://127.0.0.1:9/other/hidden.git',
      });
      const tokens = `/v1/orgs/${org}/tokens`;
      const viewer = { name: 'viewer', role: 'read' };
      const { secret } = await stack.admin.ok<{ secret: string }>('POST', tokens, viewer);
      const reader = await browser.signedIn(stack.url, secret);
      await reader.page.getByRole('link', { name: `${org}/${repoName}` }).waitFor();
      expect(await reader.page.getByText('other/hidden').count()).toBe(0);
      expect(await reader.page.getByRole('link', { name: 'Runners' }).count()).toBe(0);
      await reader.page.goto(`${stack.url}${repoPage}/builds/1`);
      await titleStatus(reader.page).waitFor();
      expect(await reader.page.getByRole('button', { name: /Cancel|Retry/ }).count()).toBe(0);
      await reader.page.goto(`${stack.url}/orgs/other/repos/hidden`);
      await reader.page.getByRole('alert').filter({ hasText: 'another organisation' }).waitFor();
      await browser.screenshot(reader.page, '11-read-token-other-org');
      const [cookie] = await reader.context.cookies();
      await reader.page.getByRole('button', { name: 'Sign out' }).click();
      await reader.page.getByLabel('API token').waitFor();
      // Signed out on the server: the old cookie opens nothing any more.
      const after = await fetch(`${stack.url}/v1/orgs`, {
        headers: { cookie: `gibbon_session=${cookie!.value}` },
      });
      expect(after.status).toBe(401);
      await reader.context.close();
      expect(browser.pageErrors).toEqual([]);
    }),
  );
});
