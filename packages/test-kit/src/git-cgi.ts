import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';

const backendPath = '/usr/lib/git-core/git-http-backend';

export interface CgiRequest {
  readonly projectRoot: string;
  /** The decoded URL path, e.g. `/app.git/info/refs`. */
  readonly pathInfo: string;
  readonly query: string;
  /** Set for a request that passed basic auth; git records it as the pusher. */
  readonly remoteUser?: string;
}

/**
 * Answers one smart-HTTP request with `git http-backend` as a CGI program: request headers
 * become CGI variables, the body goes to its stdin, and its `Status:` and headers become
 * the response. Resolves when the response has ended.
 */
export function serveWithGitHttpBackend(
  cgi: CgiRequest,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const child = spawn(backendPath, [], { env: cgiEnvironment(cgi, request) });
  request.pipe(child.stdin);
  // A client that hangs up mid-push must not leave the backend waiting on stdin.
  response.on('close', () => child.kill());
  child.stdin.on('error', () => undefined);
  // Drained so a chatty backend can't block on a full pipe; kept (capped) to explain a failure.
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 4096) stderr += chunk.toString('utf8');
  });

  return new Promise((resolve) => {
    let head = Buffer.alloc(0);
    let headersSent = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) {
        response.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const split = endOfHeaders(head);
      if (!split) return;
      writeHead(response, head.subarray(0, split.at).toString('latin1'));
      headersSent = true;
      response.write(head.subarray(split.at + split.length));
    });
    child.on('error', (error) =>
      fail(response, `could not start ${backendPath}: ${error.message}`),
    );
    child.on('close', (code) => {
      if (!headersSent) fail(response, `git http-backend exited with ${String(code)}: ${stderr}`);
      response.end();
      resolve();
    });
  });
}

function cgiEnvironment(cgi: CgiRequest, request: IncomingMessage): NodeJS.ProcessEnv {
  const header = (name: string): string | undefined => request.headers[name] as string | undefined;
  const optional = {
    CONTENT_TYPE: header('content-type'),
    CONTENT_LENGTH: header('content-length'),
    HTTP_CONTENT_ENCODING: header('content-encoding'),
    GIT_PROTOCOL: header('git-protocol'),
    REMOTE_USER: cgi.remoteUser,
  };
  return {
    PATH: process.env.PATH,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    // The GitHub stand-in container serves repositories another uid owns (a bind mount);
    // git refuses those without this. Every repository here is the test's own.
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'safe.directory',
    GIT_CONFIG_VALUE_0: '*',
    GIT_PROJECT_ROOT: cgi.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    REQUEST_METHOD: request.method ?? 'GET',
    PATH_INFO: cgi.pathInfo,
    QUERY_STRING: cgi.query,
    REMOTE_ADDR: request.socket.remoteAddress ?? '127.0.0.1',
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}

function endOfHeaders(buffer: Buffer): { at: number; length: number } | undefined {
  const crlf = buffer.indexOf('\r\n\r\n');
  if (crlf >= 0) return { at: crlf, length: 4 };
  const lf = buffer.indexOf('\n\n');
  return lf >= 0 ? { at: lf, length: 2 } : undefined;
}

function writeHead(response: ServerResponse, block: string): void {
  let status = 200;
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else response.setHeader(name, value);
  }
  response.statusCode = status;
}

function fail(response: ServerResponse, message: string): void {
  if (response.headersSent) return;
  response.writeHead(500, { 'content-type': 'text/plain' });
  response.write(`${message}\n`);
}
