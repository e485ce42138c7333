import { execFile } from 'node:child_process';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from '../build/harness/service-process';

const run = promisify(execFile);

/** Debian's Chromium (`apt-get install chromium`); `.ci/run` installs it when it is missing. */
export const chromiumPath = process.env.GIBBON_CHROMIUM ?? '/usr/bin/chromium';

/** Where the page screenshots go, for a reviewer to look at (kept after the run). */
export const screenshotDir = join(repoRoot, 'test-output', 'web-screenshots');

/** Builds `@gibbon/web` with Vite into a fresh folder (public-api serves it as GIBBON_WEB_DIR). */
export async function buildWebPage(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'gibbon-web-dist-'));
  const vite = join(repoRoot, 'packages/web/node_modules/vite/bin/vite.js');
  await run(
    process.execPath,
    [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: join(repoRoot, 'packages/web'),
    },
  );
  return outDir;
}

/**
 * The few browser globals the tests read inside `page.evaluate` (e2e is compiled for Node,
 * without the DOM's types); `__pwned` is what a hostile string would set if it ever ran.
 */
export interface PageGlobals {
  readonly document: {
    readonly cookie: string;
    readonly title: string;
    querySelectorAll(selector: string): { readonly length: number };
  };
  readonly localStorage: object;
  readonly sessionStorage: object;
  readonly __pwned?: unknown;
  stayed?: boolean;
}

/**
 * One headless Chromium for a suite, a fresh context (cookies and all) per person. Every dialog
 * a page opens is recorded and dismissed: a hostile string that ran would show up there.
 */
export class BrowserSession {
  readonly dialogs: string[] = [];
  readonly pageErrors: string[] = [];

  private constructor(private readonly browser: Browser) {}

  static async launch(): Promise<BrowserSession> {
    await mkdir(screenshotDir, { recursive: true });
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      // As root (CI) Chromium's own sandbox cannot start; the pages here are our own.
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    });
    return new BrowserSession(browser);
  }

  async person(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await this.browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    page.on('dialog', (dialog) => {
      this.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => this.pageErrors.push(error.message));
    return { context, page };
  }

  /** A fresh person who signed in with `token` on the page at `url` (a stack's). */
  async signedIn(url: string, token: string): Promise<{ context: BrowserContext; page: Page }> {
    const person = await this.person();
    await person.page.goto(url);
    await signIn(person.page, token);
    return person;
  }

  async screenshot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
  }

  close(): Promise<void> {
    return this.browser.close();
  }
}

/** Signs in on the page's form as a person does, and waits for the signed-in page. */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}
