import { request } from 'node:http';

export interface HttpAnswer {
  status: number;
  body: string;
  json: <T = unknown>() => T;
}

/** One HTTP call to a GIBBON_API_URL (`unix:/…` or `http://127.0.0.1:…`), as the SDK makes it. */
export function httpCall(
  apiUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: Buffer; contentType?: string } = {},
): Promise<HttpAnswer> {
  const target = apiUrl.startsWith('unix:')
    ? { socketPath: apiUrl.slice('unix:'.length) }
    : { host: new URL(apiUrl).hostname, port: Number(new URL(apiUrl).port) };
  const payload =
    options.raw ??
    (options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body)));
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (payload) headers['content-type'] = options.contentType ?? 'application/json';
  return new Promise((resolve, reject) => {
    const req = request({ ...target, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body, json: <T>() => JSON.parse(body) as T });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}
