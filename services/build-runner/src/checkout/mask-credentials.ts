/**
 * Removes every form of a credential a git error could quote: the token itself, URL-encoded,
 * and inside the base64 of the basic-auth pair. Other text is left as it is.
 */
export function maskCredential(text: string, username: string, token: string | null): string {
  if (!token) return text;
  const forms = new Set([
    token,
    encodeURIComponent(token),
    Buffer.from(`${username}:${token}`).toString('base64'),
  ]);
  let masked = text;
  for (const form of forms) masked = masked.split(form).join('***');
  return masked;
}
