/**
 * Source text for build scripts that attack the Script API themselves: `scriptApi(method,
 * rawPath, body?)` sends one request to the runner's Script API (the Unix socket or loopback
 * port in `GIBBON_API_URL`) with the build's own `GIBBON_API_TOKEN`, the path written exactly
 * as given (no normalisation of `..` or `%2e`), and resolves with the status and text. Paste
 * it into a `.gibbon/build.ts` after the imports; it needs only `node:http`.
 */
export const scriptApiSource = `
import { request as httpRequest } from 'node:http';

function scriptApi(method: string, rawPath: string, body?: Buffer, contentType = 'application/gzip'): Promise<{ status: number; text: string }> {
  const endpoint = process.env.GIBBON_API_URL ?? '';
  const where = endpoint.startsWith('unix:')
    ? { socketPath: endpoint.slice('unix:'.length) }
    : { host: new URL(endpoint).hostname, port: Number(new URL(endpoint).port) };
  return new Promise((done, fail) => {
    const req = httpRequest({
      ...where,
      method,
      path: rawPath,
      headers: {
        authorization: 'Bearer ' + (process.env.GIBBON_API_TOKEN ?? ''),
        ...(body ? { 'content-type': contentType, 'content-length': String(body.length) } : {}),
      },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => done({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', fail);
    req.end(body);
  });
}
`;
