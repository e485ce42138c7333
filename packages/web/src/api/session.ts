import type { Session } from '@gibbon/contracts';
import { api, call, rememberCsrfToken } from './client';

/** The signed-in session, or `undefined` when nobody is (the page shows the sign-in form). */
export async function currentSession(): Promise<Session | undefined> {
  const { data, response } = await api.GET('/v1/session');
  if (response.status === 401) return undefined;
  const session = await call('Reading your session', Promise.resolve({ data, response }));
  rememberCsrfToken(session.csrfToken);
  return session;
}

/** Exchanges the token for the session cookie; the token itself is kept nowhere. */
export async function signIn(token: string): Promise<Session> {
  const session = await call('Signing in', api.POST('/v1/session', { body: { token } }));
  rememberCsrfToken(session.csrfToken);
  return session;
}

export async function signOut(): Promise<void> {
  await call('Signing out', api.DELETE('/v1/session'));
  rememberCsrfToken(null);
}

/** Whether the session may change things (the admin token, or an org token with role admin). */
export function canWrite(session: Session): boolean {
  return session.principal.kind === 'admin' || session.principal.role === 'admin';
}

export function isAdmin(session: Session): boolean {
  return session.principal.kind === 'admin';
}
