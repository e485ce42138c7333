import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gitRepositoryName, gitRequestHandler, type BasicCredentials } from './git-http';

// The program of the GitHub stand-in image (e2e/run-it): one HTTP server that plays GitHub's
// two parts for a stack the test cannot reach from the host's loopback, such as the compose
// network. Bundled into one file with esbuild; it runs as `node github-stand-in-server.js`.
//   - git hosting: smart HTTP for the bare repositories `<name>.git` in GITHUB_STAND_IN_ROOT
//     (default /repositories); GITHUB_STAND_IN_CREDENTIALS, JSON `{"<name>": {username,
//     password}}`, makes a repository private;
//   - the REST API: every other request is answered 201 `{}` and printed on stdout as one JSON
//     line `{method, path, headers, body}` (a RecordedCall), so `docker logs` is the record.
// Listens on GITHUB_STAND_IN_PORT (default 8080) on every interface of its container.

const projectRoot = process.env.GITHUB_STAND_IN_ROOT ?? '/repositories';
const port = Number(process.env.GITHUB_STAND_IN_PORT ?? '8080');
const privateRepositories = JSON.parse(
  process.env.GITHUB_STAND_IN_CREDENTIALS ?? '{}',
) as Record<string, BasicCredentials>;

const serveGit = gitRequestHandler(projectRoot, (name) => privateRepositories[name] ?? null);

function recordApiCall(request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON: recorded as the text it is.
    }
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const call = { method: request.method, path, headers: request.headers, body };
    process.stdout.write(`${JSON.stringify(call)}\n`);
    response.writeHead(201, { 'content-type': 'application/json' }).end('{}');
  });
}

const server = createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (gitRepositoryName(path) === undefined) recordApiCall(request, response);
  else serveGit(request, response);
});
server.listen(port, '0.0.0.0', () => {
  process.stderr.write(`github stand-in listening on ${port}, repositories in ${projectRoot}\n`);
});
// PID 1 in its container: without a handler, SIGTERM would be ignored until docker's kill.
process.on('SIGTERM', () => process.exit(0));
