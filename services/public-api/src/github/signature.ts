import { createHmac, timingSafeEqual } from 'node:crypto';
import { AuthenticationError } from '@gibbon/contracts';

/** The header GitHub signs deliveries with (`X-Hub-Signature-256`), lower-cased as Node gives it. */
export const GITHUB_SIGNATURE_HEADER = 'x-hub-signature-256';

const SIGNATURE_PREFIX = 'sha256=';
const HEX_DIGEST = /^[0-9a-f]{64}$/;

/**
 * Checks GitHub's `X-Hub-Signature-256` header against an HMAC-SHA256 of the raw request bytes.
 * Call it before parsing the body: a delivery whose signature does not match is never read.
 *
 * Only `sha256=` is accepted. The legacy SHA-1 `X-Hub-Signature` is not enough on its own,
 * because SHA-1 is the weaker MAC and GitHub always sends both. The digests are compared with
 * `timingSafeEqual` over two 32-byte buffers, so the time taken says nothing about how many
 * bytes matched.
 *
 * @throws AuthenticationError saying whether the signature was missing, of an unsupported
 *   algorithm, malformed, or did not match. The messages never quote the secret or the digest.
 */
export function verifyGithubSignature(
  rawBody: Buffer,
  header: string | undefined,
  secret: string | Buffer,
): void {
  const received = receivedDigest(header);
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  if (!timingSafeEqual(received, expected)) {
    throw new AuthenticationError(
      'The X-Hub-Signature-256 header does not match the body: check that the webhook secret ' +
        'configured on GitHub is the one Gibbon CI returned when the webhook was created.',
    );
  }
}

/** The 32 bytes of the header's digest, or an AuthenticationError saying what is wrong with it. */
function receivedDigest(header: string | undefined): Buffer {
  if (header === undefined || header === '') {
    throw new AuthenticationError(
      'The delivery has no X-Hub-Signature-256 header: set a secret on the GitHub webhook ' +
        '(a SHA-1 X-Hub-Signature alone is not accepted).',
    );
  }
  const separator = header.indexOf('=');
  if (separator === -1) throw malformed();
  if (header.slice(0, separator + 1).toLowerCase() !== SIGNATURE_PREFIX) {
    throw new AuthenticationError(
      'The X-Hub-Signature-256 header uses an unsupported algorithm: only "sha256=<hex digest>" ' +
        'is accepted.',
    );
  }
  const hex = header.slice(SIGNATURE_PREFIX.length).toLowerCase();
  if (!HEX_DIGEST.test(hex)) throw malformed();
  return Buffer.from(hex, 'hex');
}

function malformed(): AuthenticationError {
  return new AuthenticationError(
    'The X-Hub-Signature-256 header is malformed: expected "sha256=" and 64 hex digits.',
  );
}
