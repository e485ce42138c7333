import { generateKeyPairSync, randomBytes } from 'node:crypto';

/** One secret value the suite plants and then searches for everywhere. */
export interface Canary {
  /** The parameter name it is stored under. */
  readonly name: string;
  readonly value: string;
}

/**
 * The attack plan's canary secrets (common setup): random 32-byte values (as hex and as
 * base64, so the base64 form holds `+`, `/` and `=` that URL-encoding changes), one JSON secret
 * (a service-account-like object) and one PEM secret (a real private key, multi-line).
 */
export function createCanaries(): Canary[] {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return [
    { name: 'CANARY_HEX', value: randomBytes(32).toString('hex') },
    { name: 'CANARY_B64', value: randomBase64WithSpecials() },
    {
      name: 'CANARY_JSON',
      value: JSON.stringify({
        type: 'service_account',
        client_id: randomBytes(8).toString('hex'),
        private_key: randomBytes(32).toString('base64'),
      }),
    },
    { name: 'CANARY_PEM', value: pem },
  ];
}

/** 32 random bytes in base64 that contain at least one `+` or `/` (URL-encoding changes them). */
function randomBase64WithSpecials(): string {
  for (;;) {
    const value = randomBytes(32).toString('base64');
    if (/[+/]/.test(value)) return value;
  }
}

/** A named form of a secret that must never appear anywhere. */
export interface SecretForm {
  readonly form: string;
  readonly text: string;
}

/**
 * The strings whose presence anywhere means the secret leaked: the value, its URL, JSON and
 * hex encodings, and its base64 at each of the three alignments it can take inside a longer
 * base64 text (so `base64("user:" + secret)` is found too). A multi-line secret is also
 * searched line by line, for lines long enough to be its own (a PEM's 64-character body lines;
 * its `-----BEGIN` lines are public text).
 */
export function formsOf(secret: string): SecretForm[] {
  const parts = secret.includes('\n') ? [secret, ...ownLines(secret)] : [secret];
  const forms: SecretForm[] = [];
  for (const [index, part] of parts.entries()) {
    const label = index === 0 ? '' : ` (line ${index})`;
    forms.push({ form: `raw${label}`, text: part });
    forms.push({ form: `url${label}`, text: encodeURIComponent(part) });
    forms.push({ form: `json${label}`, text: JSON.stringify(part).slice(1, -1) });
    forms.push({ form: `hex${label}`, text: Buffer.from(part).toString('hex') });
    for (const [alignment, text] of base64Cores(part).entries()) {
      forms.push({ form: `base64@${alignment}${label}`, text });
    }
  }
  const unique = new Map(forms.map((form) => [form.text, form]));
  return [...unique.values()].filter((form) => form.text.length >= 8);
}

function ownLines(secret: string): string[] {
  return secret
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length >= 16 && !line.startsWith('-----'));
}

/**
 * The base64 characters that encode `value` whatever bytes precede it: with 0, 1 or 2 bytes
 * before it, the first characters mix in those bytes and the last ones the bytes after, so
 * only the characters fully determined by `value` are kept.
 */
function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value);
  return [0, 1, 2].map((before) => {
    const encoded = Buffer.concat([Buffer.alloc(before), bytes]).toString('base64');
    // A character is kept when every bit it holds comes from `value`: 6 bits of a 3-byte group.
    const start = [0, 2, 3][before] ?? 0;
    const known = before + bytes.length;
    const end = Math.floor(known / 3) * 4 + ([0, 1, 2][known % 3] ?? 0);
    return encoded.slice(start, end);
  });
}
