import { fromStoredText, toStoredText } from './nul-safe-text';

describe('NUL-safe stored text', () => {
  it.each(['', 'plain', 'a\u0000b', '\\0', '\\\u0000\\\\0', '$(id);rm -rf /\n\u001b[31m'])(
    'round-trips %j and stores no NUL',
    (value) => {
      const stored = toStoredText(value);
      expect(stored).not.toContain('\u0000');
      expect(fromStoredText(stored)).toBe(value);
    },
  );

  it('keeps null', () => {
    expect(toStoredText(null)).toBeNull();
    expect(fromStoredText(null)).toBeNull();
  });
});
