import { createServer } from 'node:http';
import { HttpError, linkStore } from './links.js';

/**
 * The HTTP service: POST /links {slug, url} stores a link, GET /links/:slug shows it,
 * GET /:slug redirects to it. Answers JSON; the server is not listening yet.
 */
export function createApp(pool) {
  const links = linkStore(pool);
  return createServer((request, response) => {
    route(links, request)
      .then(({ status, body, headers = {} }) => send(response, status, body, headers))
      .catch((error) => {
        if (error instanceof HttpError)
          return send(response, error.status, { error: error.message });
        console.error(error);
        send(response, 500, { error: 'internal error' });
      });
  });
}

async function route(links, request) {
  const { pathname } = new URL(request.url, 'http://localhost');
  const slug = /^\/(?:links\/)?([^/]+)$/.exec(pathname)?.[1];
  if (request.method === 'POST' && pathname === '/links') {
    const input = await readJson(request);
    return { status: 201, body: await links.create({ slug: input.slug, url: input.url }) };
  }
  if (request.method === 'GET' && slug) {
    const link = await links.find(slug);
    if (!link) throw new HttpError(404, `no link ${slug}`);
    if (pathname.startsWith('/links/')) return { status: 200, body: link };
    return { status: 302, body: { url: link.url }, headers: { location: link.url } };
  }
  throw new HttpError(404, `no route ${request.method} ${pathname}`);
}

async function readJson(request) {
  let text = '';
  for await (const chunk of request) {
    text += chunk;
    if (text.length > 10_000) throw new HttpError(413, 'the body is over 10 kB');
  }
  try {
    const value = JSON.parse(text);
    if (typeof value === 'object' && value !== null) return value;
  } catch {
    // answered below
  }
  throw new HttpError(400, 'the body must be a JSON object');
}

function send(response, status, body, headers = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
