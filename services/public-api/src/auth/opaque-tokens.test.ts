import { generateOpaqueToken, hashOpaqueToken, opaqueTokenKindOf } from './opaque-tokens';

describe('opaque tokens', () => {
  it.each(['admin', 'org', 'runner', 'registration'] as const)(
    'a %s token is recognised by its prefix',
    (kind) => {
      const secret = generateOpaqueToken(kind);
      expect(secret.startsWith(`gbn_${kind}_`)).toBe(true);
      expect(opaqueTokenKindOf(secret)).toBe(kind);
    },
  );

  it('makes a different secret each time and hashes it to 64 hex digits', () => {
    const a = generateOpaqueToken('org');
    expect(generateOpaqueToken('org')).not.toBe(a);
    expect(hashOpaqueToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashOpaqueToken(a)).not.toContain(a.slice(8));
  });

  it.each(['', 'gbn_org_short', 'gbn_root_' + 'a'.repeat(43), 'Bearer x', 'eyJ.a.b'])(
    'does not recognise %j',
    (secret) => expect(opaqueTokenKindOf(secret)).toBeUndefined(),
  );
});
