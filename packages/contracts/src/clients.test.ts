import { answerOf, createPublicApiClient, type AnswerWording } from './clients';
import { AuthenticationError, NotFoundError, UnavailableError, UnprocessableError } from './errors';

const wording: AnswerWording = {
  unreachable: (cause) => `cannot reach the server (${cause})`,
  hints: { unauthenticated: 'Check the token.' },
};

/** A public API client whose fetch is `respond`; `seen` collects the requests. */
function clientWith(respond: (request: Request) => Promise<Response>) {
  const seen: Request[] = [];
  const api = createPublicApiClient({
    baseUrl: 'https://ci.example.test/gibbon/',
    token: 'tok-1',
    fetch: (request) => (seen.push(request), respond(request)),
  });
  return { api, seen };
}

const json = (status: number, body: unknown) =>
  Promise.resolve(
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
  );

describe('the generated clients and answerOf', () => {
  it('sends the call to the base URL with its path prefix and the token, and gives the data', async () => {
    const { api, seen } = clientWith(() => json(200, { items: [], nextCursor: null }));
    const pending = api.GET('/v1/orgs/{org}/repos', { params: { path: { org: 'a b' } } });
    await expect(answerOf('Listing', pending, wording)).resolves.toEqual({
      items: [],
      nextCursor: null,
    });
    expect(seen[0]!.url).toBe('https://ci.example.test/gibbon/v1/orgs/a%20b/repos');
    expect(seen[0]!.headers.get('authorization')).toBe('Bearer tok-1');
  });

  it('turns an error answer into its domain error, with the hint for its code', async () => {
    const denied = clientWith(() =>
      json(401, { error: { code: 'unauthenticated', message: 'Token revoked.' } }),
    );
    const error = await answerOf('Listing', denied.api.GET('/v1/orgs'), wording).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toBe(
      'Listing: Token revoked. Check the token. (401 unauthenticated)',
    );
    const proxy = clientWith(() => Promise.resolve(new Response('Not Found', { status: 404 })));
    await expect(answerOf('Listing', proxy.api.GET('/v1/orgs'), wording)).rejects.toThrow(
      NotFoundError,
    );
  });

  it('calls a call that got no answer unavailable, naming the socket error', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    const down = clientWith(() => Promise.reject(refused));
    const error = await answerOf('Listing', down.api.GET('/v1/orgs'), wording).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toBe('Listing: cannot reach the server (ECONNREFUSED)');
    const socket = Object.assign(new Error('connect ENOENT /run/api.sock'), {
      code: 'ENOENT',
      syscall: 'connect',
    });
    await expect(
      answerOf('Listing', clientWith(() => Promise.reject(socket)).api.GET('/v1/orgs'), wording),
    ).rejects.toThrow(UnavailableError);
  });

  it('rethrows an aborted call untouched, and any failure that is not the network', async () => {
    const controller = new AbortController();
    controller.abort(new Error('Canceled by the user.'));
    const aborted = clientWith((request) => Promise.reject(request.signal.reason as Error));
    await expect(
      answerOf(
        'Listing',
        aborted.api.GET('/v1/orgs', { signal: controller.signal }),
        wording,
        controller.signal,
      ),
    ).rejects.toThrow('Canceled by the user.');
    const broken = new Error('tar failed to pack artifact "x"');
    await expect(
      answerOf('Uploading', clientWith(() => Promise.reject(broken)).api.GET('/v1/orgs'), wording),
    ).rejects.toBe(broken);
  });

  it('says so when a 2xx answer is not the JSON it should be', async () => {
    const garbled = clientWith(() =>
      Promise.resolve(
        new Response('{"items": [', { status: 200, headers: { 'content-length': '11' } }),
      ),
    );
    await expect(answerOf('Listing', garbled.api.GET('/v1/orgs'), wording)).rejects.toThrow(
      UnprocessableError,
    );
  });
});
