import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveWithGitHttpBackend } from './git-cgi';

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

/**
 * Who may read a repository: `undefined` when there is no such repository (404), `null` when
 * anyone may, otherwise the credentials basic auth must present (401 without them).
 */
export type RepositoryAccess = (name: string) => BasicCredentials | null | undefined;

/** The repository a smart-HTTP path names (`/app.git/info/refs` → `app`), if it names one. */
export function gitRepositoryName(pathname: string): string | undefined {
  return /^\/([^/]+)\.git(\/|$)/.exec(pathname)?.[1];
}

/** A request listener for `serveGitRequest`; an unexpected failure answers 500 with its message. */
export function gitRequestHandler(projectRoot: string, access: RepositoryAccess) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    serveGitRequest(request, response, projectRoot, access).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`${String(error)}\n`);
    });
  };
}

/**
 * Answers one smart-HTTP request for `/<name>.git/...` with `git http-backend`, serving the
 * bare repositories `<name>.git` in `projectRoot` as `access` allows.
 */
export async function serveGitRequest(
  request: IncomingMessage,
  response: ServerResponse,
  projectRoot: string,
  access: RepositoryAccess,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const pathInfo = decodedPath(url.pathname);
  if (pathInfo === undefined) {
    response.writeHead(400, { 'content-type': 'text/plain' }).end('Malformed path\n');
    return;
  }
  const name = gitRepositoryName(pathInfo);
  const required = name === undefined ? undefined : access(name);
  if (required === undefined) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('No such repository\n');
    return;
  }
  if (required && !matches(request, required)) {
    response.writeHead(401, { 'www-authenticate': 'Basic realm="gibbon-test-git"' });
    response.end('Authentication required\n');
    return;
  }
  const remoteUser = required?.username;
  const query = url.search.slice(1);
  await serveWithGitHttpBackend({ projectRoot, pathInfo, query, remoteUser }, request, response);
}

function matches(request: IncomingMessage, expected: BasicCredentials): boolean {
  const header = request.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  const given = Buffer.from(header.slice(6), 'base64');
  const wanted = Buffer.from(`${expected.username}:${expected.password}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function decodedPath(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
}
