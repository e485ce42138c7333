import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import { httpCall } from '../../test/http-call';
import { startScriptApiServer } from './server';

const hello: RequestListener = (_req, res) => res.end('hello');

describe('startScriptApiServer', () => {
  it('serves on loopback only when asked', async () => {
    const server = await startScriptApiServer(hello, { kind: 'loopback' });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await httpCall(server.url, 'GET', '/')).body).toBe('hello');
    await server.close();
    await server.close();
  });

  it('falls back to tmpdir when the preferred folder is too deep for a socket path', async () => {
    const base = await mkdtemp(join(tmpdir(), 'gibbon-deep-'));
    const deep = join(base, 'a'.repeat(60), 'b'.repeat(60));
    await mkdir(deep, { recursive: true });
    const server = await startScriptApiServer(hello, { kind: 'socket', folder: deep });
    expect(server.url.startsWith(`unix:${deep}`)).toBe(false);
    expect((await httpCall(server.url, 'GET', '/')).body).toBe('hello');
    await server.close();
    await rm(base, { recursive: true, force: true });
  });
});
