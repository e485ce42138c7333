import { createHmac, sign, type KeyObject } from 'node:crypto';

/**
 * Hand-made JWTs for the token attacks (plan family D). Nothing here validates anything: each
 * function writes exactly the header, payload and signature it is given, the way an attacker
 * would, so the service under test is the only verifier involved.
 */
export type JwtPart = Record<string, unknown>;

export interface DecodedJwt {
  readonly header: JwtPart;
  readonly payload: JwtPart;
  readonly signature: string;
}

export function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

export function decodeJwt(token: string): DecodedJwt {
  const [header = '', payload = '', signature = ''] = token.split('.');
  const part = (text: string) => JSON.parse(Buffer.from(text, 'base64url').toString()) as JwtPart;
  return { header: part(header), payload: part(payload), signature };
}

/** `header.payload.` plus `signature` as given (possibly empty). */
export function unsignedJwt(header: JwtPart, payload: JwtPart, signature = ''): string {
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.${signature}`;
}

/** An HS256 token signed with `secret` (the real key, a guessed one, or an empty one). */
export function hs256(header: JwtPart, payload: JwtPart, secret: Buffer | string): string {
  const input = unsignedJwt({ ...header, alg: 'HS256' }, payload).slice(0, -1);
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** A token signed with an asymmetric key: RS256, ES256 (JOSE r‖s form) or EdDSA. */
export function asymmetric(
  alg: 'RS256' | 'ES256' | 'EdDSA',
  header: JwtPart,
  payload: JwtPart,
  key: KeyObject,
): string {
  const input = unsignedJwt({ ...header, alg }, payload).slice(0, -1);
  const digest = alg === 'EdDSA' ? null : 'sha256';
  const options = alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' as const } : key;
  return `${input}.${sign(digest, Buffer.from(input), options).toString('base64url')}`;
}

/** Seconds since the epoch, as JWT times are written. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
