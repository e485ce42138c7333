/**
 * The encoded forms of a secret that a log may contain. Every form is masked, because a
 * script that prints `Buffer.from(token).toString('base64')` or a JSON body leaks the token
 * just as surely as printing it.
 */

/** Shorter values are refused: masking `a` or `true` would scramble every log and give the value away. */
export const MIN_SECRET_LENGTH = 4;

/**
 * The base64 characters that depend only on the secret's own bytes when the secret sits at
 * byte offset `offset` (0, 1 or 2) of a longer base64-encoded stream. The characters at both
 * edges mix in bits of the neighbouring bytes, so only the stable inner part is a pattern.
 */
export function base64InnerForm(secret: Buffer, offset: number): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), secret]).toString('base64');
  const firstBit = 8 * offset;
  const endBit = 8 * (offset + secret.length);
  const firstChar = Math.ceil(firstBit / 6);
  const endChar = Math.floor(endBit / 6);
  return encoded.slice(firstChar, endChar);
}

/** URL-encoded forms: `encodeURIComponent` and HTML-form encoding (spaces as `+`). */
function urlForms(value: string): string[] {
  const component = encodeURIComponent(value);
  return [component, component.replace(/%20/g, '+')];
}

/** The value as it appears inside a JSON string literal. */
function jsonForm(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/**
 * Every pattern to mask for `secret`: the value, each of its lines, their URL-encoded and
 * JSON-escaped forms, and the base64 forms at the three alignments. Patterns shorter than
 * MIN_SECRET_LENGTH are dropped (a two-character line of a PEM key is not worth masking
 * everywhere it occurs).
 */
export function patternsOf(secret: string): string[] {
  const lines = secret.split(/\r?\n/).filter((line) => line.length > 0);
  const values = lines.length > 1 ? [secret, ...lines] : [secret];
  const forms = values.flatMap((value) => {
    const bytes = Buffer.from(value, 'utf8');
    return [
      value,
      jsonForm(value),
      ...urlForms(value),
      base64InnerForm(bytes, 0),
      base64InnerForm(bytes, 1),
      base64InnerForm(bytes, 2),
    ];
  });
  return [...new Set(forms)].filter((form) => form.length >= MIN_SECRET_LENGTH);
}
