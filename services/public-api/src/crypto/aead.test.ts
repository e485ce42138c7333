import { randomBytes } from 'node:crypto';
import { open, seal, SealedValueError } from './aead';

describe('AES-256-GCM seal/open', () => {
  const key = randomBytes(32);

  it('opens what it sealed with the same associated data', () => {
    const sealed = seal(key, 'hunter2', 'org/set/NAME');
    expect(open(key, sealed, 'org/set/NAME').toString('utf8')).toBe('hunter2');
  });

  it('uses a fresh nonce each time, so equal plaintexts differ', () => {
    expect(seal(key, 'same', 'aad')).not.toBe(seal(key, 'same', 'aad'));
  });

  it('never contains the plaintext', () => {
    const sealed = seal(key, 'canary-plaintext-value', 'aad');
    expect(sealed).not.toContain('canary');
    expect(Buffer.from(sealed.slice(3), 'base64').toString('latin1')).not.toContain('canary');
  });

  it('refuses a value moved to another record (different associated data)', () => {
    const sealed = seal(key, 'secret', 'acme/set1/TOKEN');
    expect(() => open(key, sealed, 'acme/set2/TOKEN')).toThrow(SealedValueError);
  });

  it('refuses another key and a tampered ciphertext', () => {
    const sealed = seal(key, 'secret', 'aad');
    expect(() => open(randomBytes(32), sealed, 'aad')).toThrow(SealedValueError);
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[14] = (raw[14] ?? 0) ^ 1;
    expect(() => open(key, 'v1.' + raw.toString('base64'), 'aad')).toThrow(SealedValueError);
  });

  it('refuses unknown formats and short keys', () => {
    expect(() => open(key, 'v9.AAAA', 'aad')).toThrow(SealedValueError);
    expect(() => seal(randomBytes(16), 'x', 'aad')).toThrow(RangeError);
  });
});
