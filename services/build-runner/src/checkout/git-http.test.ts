import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gitHostAllowlistFromEnv, type GitHostAllowlist } from '@gibbon/contracts';
import type { HostResolver, ResolvedAddress } from './fetch-target';
import { guardedGitHttp, sendRequest, type OutgoingRequest, type SendRequest } from './git-http';

/** A name → addresses table: no test here asks a real DNS server anything. */
function resolverOf(table: Record<string, readonly ResolvedAddress[]>): HostResolver {
  return (hostname) => {
    const answer = table[hostname];
    if (!answer)
      return Promise.reject(Object.assign(new Error('no such name'), { code: 'ENOTFOUND' }));
    return Promise.resolve(answer);
  };
}

const loopback: ResolvedAddress = { address: '127.0.0.1', family: 4 };
const metadata: ResolvedAddress = { address: '169.254.169.254', family: 4 };

/** `sendRequest`, recording every request that would leave the runner. */
function recordingSend(): { send: SendRequest; sent: OutgoingRequest[] } {
  const sent: OutgoingRequest[] = [];
  return {
    sent,
    send: (request) => {
      sent.push(request);
      return sendRequest(request);
    },
  };
}

async function bodyText(body: AsyncIterableIterator<Uint8Array> | undefined): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const part of body ?? []) parts.push(part);
  return Buffer.concat(parts).toString('utf8');
}

let server: Server;
let port: number;
const received: { path: string; host: string | undefined }[] = [];
const signal = new AbortController().signal;

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response) => {
    const path = request.url ?? '/';
    received.push({ path, host: request.headers.host });
    const redirects: Record<string, string> = {
      '/moved': '/here',
      '/to-metadata': 'http://169.254.169.254/latest/meta-data/',
      '/to-other-name': `http://localhost:${port}/here`,
      '/to-other-port': `http://127.0.0.1:1/here`,
      '/loop': '/loop',
    };
    const location = redirects[path];
    if (location) {
      response.writeHead(302, { location }).end('moved');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain' }).end(`answer of ${path}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received.length = 0;
});

function client(
  gitHosts: GitHostAllowlist,
  table: Record<string, readonly ResolvedAddress[]> = {},
) {
  const recording = recordingSend();
  const http = guardedGitHttp({
    signal,
    gitHosts,
    resolveHost: resolverOf(table),
    send: recording.send,
  });
  return { http, sent: recording.sent };
}

describe('guardedGitHttp', () => {
  it('refuses a host that is not allowed without sending anything', async () => {
    const { http, sent } = client(gitHostAllowlistFromEnv({}));
    await expect(http.request({ url: 'http://169.254.169.254/latest/meta-data/' })).rejects.toThrow(
      "The clone URL's host 169.254.169.254 is not an allowed git host. An operator can allow it by adding 169.254.169.254 to GIBBON_GIT_HOSTS",
    );
    expect(sent).toEqual([]);
  });

  it('refuses an allowed name that resolves to the metadata address, without sending anything', async () => {
    const { http, sent } = client(gitHostAllowlistFromEnv({ GIBBON_GIT_HOSTS: 'forge.test' }), {
      'forge.test': [metadata],
    });
    const refused = http.request({ url: 'http://forge.test/acme/app.git/info/refs' });
    await expect(refused).rejects.toThrow(
      'The git host forge.test resolves to a link-local address (169.254.0.0/16, fe80::/10: where cloud metadata services answer), which a clone never connects to by name.',
    );
    expect(sent).toEqual([]);
  });

  it('refuses a name with any bad address among good ones, even when listed as internal', async () => {
    const { http, sent } = client(
      gitHostAllowlistFromEnv({ GIBBON_GIT_INTERNAL_HOSTS: 'forge.test' }),
      { 'forge.test': [loopback, { address: '::ffff:169.254.169.254', family: 6 }] },
    );
    await expect(http.request({ url: 'http://forge.test/x' })).rejects.toThrow(/link-local/);
    expect(sent).toEqual([]);
  });

  it('refuses a public entry that resolves to loopback or private, naming GIBBON_GIT_INTERNAL_HOSTS', async () => {
    for (const address of [loopback, { address: '10.1.2.3', family: 4 } as const]) {
      const { http, sent } = client(
        gitHostAllowlistFromEnv({ GIBBON_GIT_HOSTS: 'forge.test:8443' }),
        {
          'forge.test': [address],
        },
      );
      await expect(http.request({ url: 'https://forge.test:8443/x' })).rejects.toThrow(
        /resolves to a (loopback|private) address, which a clone connects to only for a forge on the operator's own network: an operator can allow it by listing forge\.test:8443 in GIBBON_GIT_INTERNAL_HOSTS/,
      );
      expect(sent).toEqual([]);
    }
  });

  it('connects an internal name to the address it was checked at, not to a second DNS answer', async () => {
    const { http, sent } = client(
      gitHostAllowlistFromEnv({ GIBBON_GIT_INTERNAL_HOSTS: 'forge.test' }),
      {
        'forge.test': [loopback],
      },
    );
    const answer = await http.request({ url: `http://forge.test:${port}/repo` });
    expect(answer.statusCode).toBe(200);
    expect(await bodyText(answer.body)).toBe('answer of /repo');
    // The name reached the server as the Host header; no resolver outside the table was asked.
    expect(received).toEqual([{ path: '/repo', host: `forge.test:${port}` }]);
    expect(sent.map((request) => request.addresses)).toEqual([[loopback]]);
  });

  it('connects to an IP address entry as it is', async () => {
    const { http } = client(gitHostAllowlistFromEnv({ GIBBON_GIT_HOSTS: '127.0.0.1' }));
    const answer = await http.request({ url: `http://127.0.0.1:${port}/repo` });
    expect(await bodyText(answer.body)).toBe('answer of /repo');
  });

  it('follows a redirect on the same host and port', async () => {
    const { http } = client(gitHostAllowlistFromEnv({ GIBBON_GIT_HOSTS: '127.0.0.1' }));
    const answer = await http.request({ url: `http://127.0.0.1:${port}/moved` });
    expect({ status: answer.statusCode, url: answer.url }).toEqual({
      status: 200,
      url: `http://127.0.0.1:${port}/here`,
    });
    expect(await bodyText(answer.body)).toBe('answer of /here');
  });

  it.each([
    ['the metadata address', '/to-metadata'],
    ['another name of the same machine', '/to-other-name'],
    ['another port', '/to-other-port'],
  ])('does not follow a redirect to %s, and never asks there', async (_, path) => {
    const { http, sent } = client(
      gitHostAllowlistFromEnv({ GIBBON_GIT_HOSTS: '127.0.0.1,localhost' }),
    );
    await expect(http.request({ url: `http://127.0.0.1:${port}${path}` })).rejects.toThrow(
      `The git host 127.0.0.1:${port} redirected the clone to another host or port; a clone follows redirects only on the same host. Set the repository's url to where it moved.`,
    );
    expect(sent.map((request) => request.url.pathname)).toEqual([path]);
    expect(received.map((request) => request.path)).toEqual([path]);
  });

  it('gives up after five redirects', async () => {
    const { http, sent } = client(gitHostAllowlistFromEnv({ GIBBON_GIT_HOSTS: '127.0.0.1' }));
    await expect(http.request({ url: `http://127.0.0.1:${port}/loop` })).rejects.toThrow(
      'redirected the clone more than 5 times',
    );
    expect(sent).toHaveLength(6);
  });

  it('says which host could not be resolved', async () => {
    const { http } = client(gitHostAllowlistFromEnv({ GIBBON_GIT_HOSTS: 'forge.test' }));
    await expect(http.request({ url: 'https://forge.test/x' })).rejects.toThrow(
      "The git host forge.test could not be resolved (ENOTFOUND); check the clone URL and the runner's DNS.",
    );
  });
});
