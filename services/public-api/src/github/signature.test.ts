import { AuthenticationError } from '@gibbon/contracts';
import { githubDelivery, loadWebhookExamples, signGithubPayload } from '@gibbon/test-kit';
import { GITHUB_SIGNATURE_HEADER, verifyGithubSignature } from './signature';

const secret = 'a-webhook-secret-of-32-characters!';
const [pushExample] = loadWebhookExamples('push');

function signedPush(signatures?: readonly ('sha256' | 'sha1')[]) {
  const delivery = githubDelivery({
    event: 'push',
    payload: pushExample!.payload,
    secret,
    signatures,
  });
  return { body: Buffer.from(delivery.body), headers: delivery.headers };
}

/** The AuthenticationError `check` throws; fails the test when it throws nothing or another error. */
function rejectionOf(check: () => void): AuthenticationError {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthenticationError);
    return error as AuthenticationError;
  }
  throw new Error('expected verifyGithubSignature to throw an AuthenticationError');
}

describe('verifyGithubSignature', () => {
  it("accepts GitHub's published test vector and nothing one digit off", () => {
    // docs.github.com, "Validating webhook deliveries": the secret, payload and signature.
    const body = Buffer.from('Hello, World!');
    const vectorSecret = "It's a Secret to Everybody";
    const vector = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(() => verifyGithubSignature(body, vector, vectorSecret)).not.toThrow();
    rejectionOf(() => verifyGithubSignature(body, `${vector.slice(0, -1)}8`, vectorSecret));
  });

  it('accepts a delivery signed with the webhook secret', () => {
    const { body, headers } = signedPush();
    expect(() =>
      verifyGithubSignature(body, headers[GITHUB_SIGNATURE_HEADER], secret),
    ).not.toThrow();
  });

  it('accepts the secret as bytes as well as text', () => {
    const { body, headers } = signedPush();
    const header = headers[GITHUB_SIGNATURE_HEADER];
    expect(() => verifyGithubSignature(body, header, Buffer.from(secret))).not.toThrow();
  });

  it('rejects a delivery without a signature as missing', () => {
    const { body } = signedPush([]);
    expect(rejectionOf(() => verifyGithubSignature(body, undefined, secret)).message).toMatch(
      /has no X-Hub-Signature-256 header/,
    );
    expect(rejectionOf(() => verifyGithubSignature(body, '', secret)).message).toMatch(/has no/);
  });

  it('rejects a delivery signed only with SHA-1', () => {
    const { body, headers } = signedPush(['sha1']);
    expect(headers[GITHUB_SIGNATURE_HEADER]).toBeUndefined();
    expect(rejectionOf(() => verifyGithubSignature(body, undefined, secret)).message).toMatch(
      /has no X-Hub-Signature-256/,
    );
    // The SHA-1 value in the SHA-256 header is a valid MAC of the body, of the wrong algorithm.
    const sha1 = headers['x-hub-signature'];
    expect(sha1).toMatch(/^sha1=/);
    expect(rejectionOf(() => verifyGithubSignature(body, sha1, secret)).message).toMatch(
      /unsupported algorithm/,
    );
  });

  it('rejects a delivery signed with another secret as a mismatch', () => {
    const { body } = signedPush();
    const header = signGithubPayload(body, 'another-secret');
    expect(rejectionOf(() => verifyGithubSignature(body, header, secret)).message).toMatch(
      /does not match the body/,
    );
  });

  it.each([
    ['no algorithm', 'deadbeef'],
    ['a short digest', 'sha256=abc123'],
    ['a long digest', `sha256=${'a'.repeat(66)}`],
    ['non-hex digits', `sha256=${'z'.repeat(64)}`],
    ['trailing text', `${signGithubPayload('{}', secret)} extra`],
    ['nothing after the prefix', 'sha256='],
  ])('rejects a malformed header with %s', (_case, header) => {
    const { body } = signedPush();
    expect(rejectionOf(() => verifyGithubSignature(body, header, secret)).message).toMatch(
      /malformed/,
    );
  });

  it('rejects the body when one byte is flipped after signing', () => {
    const { body, headers } = signedPush();
    const header = headers[GITHUB_SIGNATURE_HEADER];
    for (const position of [0, Math.floor(body.length / 2), body.length - 1]) {
      const tampered = Buffer.from(body);
      tampered[position] = tampered[position]! ^ 0x01;
      expect(rejectionOf(() => verifyGithubSignature(tampered, header, secret)).message).toMatch(
        /does not match/,
      );
    }
  });

  it('never quotes the secret or the expected digest in its messages', () => {
    const { body } = signedPush();
    const expected = signGithubPayload(body, secret);
    const error = rejectionOf(() =>
      verifyGithubSignature(body, signGithubPayload(body, 'x'), secret),
    );
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain(expected.slice('sha256='.length));
  });
});
