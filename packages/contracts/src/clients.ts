/**
 * One generated client per API document, typed from the generated `paths` with openapi-fetch,
 * and one way of reading their answers (`answerOf`): the data of a 2xx answer, or the domain
 * error `errorOfAnswer` makes of any other, or an `UnavailableError` when the server can't be
 * reached. The CLI, the build-runner and the SDK all call their APIs through these.
 * Isomorphic: nothing here needs Node (a browser page can use the public client as it is).
 */
import createClient, { type Client } from 'openapi-fetch';
import {
  errorOfAnswer,
  UnavailableError,
  UnprocessableError,
  type ErrorCode,
  type GibbonError,
} from './errors';
import type { paths as PublicApiPaths } from './generated/public-api';
import type { paths as RunnerApiPaths } from './generated/runner-api';
import type { paths as ScriptApiPaths } from './generated/script-api';

export type PublicApiClient = Client<PublicApiPaths>;
export type RunnerApiClient = Client<RunnerApiPaths>;
export type ScriptApiClient = Client<ScriptApiPaths>;

export interface ApiClientOptions {
  /** Where the API is, with any path prefix (`https://ci.example.com/gibbon`). */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer …` on every call; no message ever carries it. */
  readonly token?: string;
  /** The fetch to send with (a Unix-socket fetch for the Script API); global fetch otherwise. */
  readonly fetch?: (request: Request) => Promise<Response>;
}

function clientOf<Paths extends object>(options: ApiClientOptions): Client<Paths> {
  return createClient<Paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.token === undefined
      ? {}
      : { headers: { authorization: `Bearer ${options.token}` } }),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

export function createPublicApiClient(options: ApiClientOptions): PublicApiClient {
  return clientOf<PublicApiPaths>(options);
}

export function createRunnerApiClient(options: ApiClientOptions): RunnerApiClient {
  return clientOf<RunnerApiPaths>(options);
}

export function createScriptApiClient(options: ApiClientOptions): ScriptApiClient {
  return clientOf<ScriptApiPaths>(options);
}

/** How a client names its failures to its user. */
export interface AnswerWording {
  /**
   * Appended to "…: cannot reach <server> (ECONNREFUSED)" when the call never got an answer:
   * what to check (`; check GIBBON_SERVER_URL and that the server runs.`).
   */
  readonly unreachable: (cause: string) => string;
  /** What the user can do about an error answer of a code (`errorOfAnswer`'s hints). */
  readonly hints?: Partial<Record<ErrorCode, string>>;
}

/** The result openapi-fetch gives for a call: `data` on 2xx, `error` (the parsed body) else. */
interface CallResult<Data> {
  readonly data?: Data;
  readonly error?: unknown;
  readonly response: Response;
}

/** `ECONNREFUSED`, `ENOTFOUND`…: the socket error behind fetch's "fetch failed". */
export function networkCauseOf(error: unknown): string {
  const cause = (
    error as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }
  ).cause;
  return cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (error as Error).message;
}

/**
 * Whether the call got no answer: fetch's "fetch failed", a socket error (`ECONNREFUSED`,
 * `ENOENT` of a missing socket file), or a call timeout.
 */
function isNetworkFailure(error: unknown): boolean {
  const { name, message, code, syscall } = (error ?? {}) as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    syscall?: unknown;
  };
  // By name, not instanceof: fetch's TypeError may come from another realm (a jest vm).
  return (
    (name === 'TypeError' && message === 'fetch failed') ||
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    (typeof code === 'string' && typeof syscall === 'string') ||
    code === 'ECONNRESET'
  );
}

/**
 * The data of one call (`what` says what the caller was doing, "Listing builds of acme/web"),
 * or the error it ends in. An aborted call rejects with the abort's reason, untouched.
 */
export async function answerOf<Data>(
  what: string,
  pending: Promise<CallResult<Data>>,
  wording: AnswerWording,
  signal?: AbortSignal,
): Promise<Data> {
  let result: CallResult<Data>;
  try {
    result = await pending;
  } catch (error) {
    if (signal?.aborted) throw error;
    if ((error as { name?: unknown } | null)?.name === 'SyntaxError') {
      throw new UnprocessableError(`${what}: the server's answer is not the JSON it should be.`, {
        cause: error,
      });
    }
    // Anything else (a request body that failed, tar exiting early) is its own error.
    if (!isNetworkFailure(error)) throw error;
    throw new UnavailableError(`${what}: ${wording.unreachable(networkCauseOf(error))}`, {
      cause: error,
    });
  }
  if (result.response.ok) return result.data as Data;
  throw errorOfBody(what, result, wording);
}

function errorOfBody(
  what: string,
  result: CallResult<unknown>,
  wording: AnswerWording,
): GibbonError {
  const { error } = result;
  const text = error === undefined ? '' : typeof error === 'string' ? error : JSON.stringify(error);
  return errorOfAnswer(what, result.response.status, text, wording.hints);
}
