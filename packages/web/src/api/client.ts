import { AuthenticationError } from '@gibbon/contracts';
import {
  answerOf,
  createPublicApiClient,
  type AnswerWording,
  type PublicApiClient,
} from '@gibbon/contracts/clients';

/**
 * The page's one client of the public API: generated from its document (openapi-fetch), on
 * the page's own origin, authenticated by the session cookie the browser sends by itself.
 * Every call that changes something carries the session's CSRF token.
 */
export const api: PublicApiClient = createPublicApiClient({ baseUrl: window.location.origin });

let csrfToken: string | null = null;
const signedOutListeners = new Set<() => void>();

/** The CSRF token of the current session (from `POST`/`GET /v1/session`), kept in memory only. */
export function rememberCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a call answers 401: the session ended, the page shows the sign-in form. */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

api.use({
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD' && csrfToken !== null) {
      request.headers.set('x-csrf-token', csrfToken);
    }
    return request;
  },
});

const wording: AnswerWording = {
  unreachable: (cause) =>
    `cannot reach the Gibbon server (${cause}); check that it runs, then reload the page.`,
};

interface CallResult<Data> {
  readonly data?: Data;
  readonly error?: unknown;
  readonly response: Response;
}

/**
 * The data of a call, or its error with a message a person can act on ("Listing builds of
 * acme/web: …"). A 401 also tells the page that the session is over.
 */
export async function call<Data>(what: string, pending: Promise<CallResult<Data>>): Promise<Data> {
  try {
    return await answerOf(what, pending, wording);
  } catch (error) {
    if (error instanceof AuthenticationError) for (const listener of signedOutListeners) listener();
    throw error;
  }
}
