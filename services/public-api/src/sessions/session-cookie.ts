import { sessionLifetimeMs } from './sessions.service';

/** The cookie that carries a web session's secret. */
export const sessionCookieName = 'gibbon_session';

/** The header a session's state-changing calls carry its CSRF token in. */
export const csrfHeaderName = 'x-csrf-token';

/** The session secret in a `Cookie` header, if any (other cookies are ignored). */
export function sessionSecretOf(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== sessionCookieName) continue;
    const value = part.slice(at + 1).trim();
    return /^[A-Za-z0-9_-]{1,128}$/.test(value) ? value : undefined;
  }
  return undefined;
}

/**
 * The `Set-Cookie` of a session: never readable by the page's script (HttpOnly), never sent
 * by another site's request (SameSite=Strict), https-only when the service is served over
 * https, and gone when the session ends. `secret: undefined` clears it.
 */
export function sessionCookie(secret: string | undefined, secure: boolean): string {
  const maxAge = secret === undefined ? 0 : Math.floor(sessionLifetimeMs / 1000);
  const parts = [
    `${sessionCookieName}=${secret ?? ''}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAge}`,
  ];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}
