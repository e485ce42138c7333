import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type RequestHandler } from 'express';

/**
 * What the web page may load and do: its own scripts, styles and API only, nothing inline,
 * never framed. Everything it shows from users, webhooks and logs is text (docs/adr/0012).
 */
export const webUiContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths that belong to the APIs; every other GET is the web page's. */
const apiPath = /^\/(v1|webhooks|healthz)(\/|$)/;

const pageHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy': webUiContentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

function notBuilt(dir: string): string {
  return (
    `The web page is not built (no index.html in ${dir}): run "pnpm build" ` +
    '(or "pnpm --filter @gibbon/web build"), or point GIBBON_WEB_DIR at a built one.\n'
  );
}

/**
 * Serves the built web page (`@gibbon/web`'s dist/) at `/`: hashed assets under `/assets/`
 * cached for a year as immutable, the other files of the folder as they are, and `index.html`
 * (never cached) for every other GET outside the APIs, so each page of the app has a URL that
 * links from outside (commit statuses, the CLI). Without a built page such a GET answers 503
 * saying how to build it; the APIs work either way.
 */
export function webUi(dir: string): RequestHandler {
  const indexFile = join(dir, 'index.html');
  let index: Buffer | undefined;
  const assets = express.static(join(dir, 'assets'), {
    immutable: true,
    maxAge: '365d',
    index: false,
    setHeaders: (res) => res.set(pageHeaders),
  });
  const files = express.static(dir, {
    index: false,
    maxAge: '1h',
    setHeaders: (res) => res.set(pageHeaders),
  });
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || apiPath.test(req.path)) return next();
    if (req.path.startsWith('/assets/')) {
      req.url = req.url.slice('/assets'.length);
      void assets(req, res, () => {
        res.status(404).type('text/plain').send('No such file of the web page.\n');
      });
      return;
    }
    void files(req, res, () => {
      index ??= existsSync(indexFile) ? readFileSync(indexFile) : undefined;
      res.set(pageHeaders);
      if (!index) {
        res.status(503).type('text/plain').send(notBuilt(dir));
        return;
      }
      res.set('Cache-Control', 'no-cache').type('html').send(index);
    });
  };
}
