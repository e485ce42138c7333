import { LineMasker } from './line-masker';
import { MASK, Masker } from './masker';
import { MaskingStream } from './masking-stream';
import { base64InnerForm } from './patterns';

const SECRET = 'hunter2-s3cr3t/&"value';

/** Every way of cutting `text` into writes that a test wants to survive. */
function chunkings(text: string): string[][] {
  const splits = Array.from({ length: text.length + 1 }, (_, at) => [
    text.slice(0, at),
    text.slice(at),
  ]);
  const oneByOne = [...text];
  const threes = text.match(/[\s\S]{1,3}/g) ?? [];
  const sevens = text.match(/[\s\S]{1,7}/g) ?? [];
  return [[text], oneByOne, threes, sevens, ...splits];
}

function maskLines(masker: Masker, writes: string[], maxLineLength?: number): string[] {
  const lines: string[] = [];
  const lineMasker = new LineMasker(masker, (line) => lines.push(line), { maxLineLength });
  for (const write of writes) lineMasker.write(write);
  lineMasker.end();
  return lines;
}

function expectMaskedInEveryChunking(masker: Masker, text: string, expected: string[]): void {
  for (const writes of chunkings(text)) {
    expect(maskLines(masker, writes)).toEqual(expected);
  }
}

function maskerWith(...secrets: string[]): Masker {
  const masker = new Masker();
  for (const secret of secrets) expect(masker.register(secret)).toBe(true);
  return masker;
}

describe('Masker', () => {
  it('refuses values shorter than four characters and masks nothing for them', () => {
    const masker = new Masker();
    expect(masker.register('abc')).toBe(false);
    expect(masker.register('')).toBe(false);
    expect(masker.mask('abc abc')).toBe('abc abc');
    expect(masker.register('abcd')).toBe(true);
    expect(masker.mask('x abcd y')).toBe(`x ${MASK} y`);
  });

  it('masks the plain value wherever it occurs, in every chunking', () => {
    const masker = maskerWith(SECRET);
    expectMaskedInEveryChunking(masker, `token=${SECRET}\nagain ${SECRET}${SECRET}\n`, [
      `token=${MASK}`,
      `again ${MASK}${MASK}`,
    ]);
  });

  it.each([0, 1, 2])('masks the base64 form at alignment %i of a longer stream', (offset) => {
    const masker = maskerWith(SECRET);
    const prefix = 'xyz'.slice(0, offset);
    const encoded = Buffer.from(`${prefix}${SECRET}tail`).toString('base64');
    const lines = maskLines(masker, [encoded]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(MASK);
    expect(lines[0]).not.toContain(base64InnerForm(Buffer.from(SECRET), offset));
    // No run of the secret's inner base64 longer than its unstable edges survives.
    expect(lines[0]!.length).toBeLessThan(encoded.length - 20);
    expectMaskedInEveryChunking(masker, `${encoded}\n`, lines);
  });

  it('masks URL-encoded and JSON-escaped forms', () => {
    const masker = maskerWith(SECRET);
    const url = `https://example.test/?t=${encodeURIComponent(SECRET)}&x=1`;
    const json = JSON.stringify({ token: SECRET });
    expectMaskedInEveryChunking(masker, `${url}\n${json}\n`, [
      `https://example.test/?t=${MASK}&x=1`,
      `{"token":"${MASK}"}`,
    ]);
  });

  it('masks each line of a multi-line secret, and its JSON form with escaped newlines', () => {
    const key = '-----BEGIN KEY-----\nMIIEvQIBADANBgkq\nhkiG9w0BAQEFAASC\n-----END KEY-----';
    const masker = maskerWith(key);
    const indented = key.replace(/\n/g, '\n  ');
    const printed = `${key}\nonly: hkiG9w0BAQEFAASC\n${JSON.stringify(key)}\n  ${indented}\n`;
    expectMaskedInEveryChunking(masker, printed, [
      MASK,
      `only: ${MASK}`,
      `"${MASK}"`,
      `  ${MASK}`,
      `  ${MASK}`,
      `  ${MASK}`,
      `  ${MASK}`,
    ]);
  });

  it('prefers the longest pattern when patterns overlap', () => {
    const masker = maskerWith('abcd', 'abcdefgh');
    expectMaskedInEveryChunking(masker, 'xxabcdefghyy abcdzz\n', [`xx${MASK}yy ${MASK}zz`]);
  });

  it('masks a secret registered after text was written but before it was released', () => {
    // 'late-secret' is held back as the beginning of the registered 'late-secret-v2'.
    const masker = maskerWith('late-secret-v2');
    const stream = new MaskingStream(masker);
    const released = stream.write('log: late-secret');
    expect(released).toBe('log: ');
    masker.register('late-secret');
    expect(released + stream.end()).toBe(`log: ${MASK}`);
  });

  it('holds back only an end that could begin a secret, so a line followed by silence shows', () => {
    const masker = maskerWith(SECRET, 'x'.repeat(900) + 'tail');
    const lines: string[] = [];
    const lineMasker = new LineMasker(masker, (line) => lines.push(line));
    lineMasker.write('waiting for approval\n');
    expect(lines).toEqual(['waiting for approval']);
    lineMasker.write(`token ${SECRET.slice(0, 8)}`);
    expect(lines).toEqual(['waiting for approval']);
    lineMasker.write(`${SECRET.slice(8)} ok\n`);
    expect(lines).toEqual(['waiting for approval', `token ${MASK} ok`]);
  });

  it('shows ordinary lines at once with a long token registered (a JWT and its base64 forms)', () => {
    // Patterns that begin with common letters ('e' of a JWT's `eyJ`) once made the search for
    // a partial match at the end run out of its budget on plain text, holding back the whole
    // log until a job ended: a live log showed nothing while the job ran.
    const jwt = `eyJhbGciOiJIUzI1NiJ9.${'eyJzdWIiOiJsZXRzIGdv'.repeat(18)}.leUpoYkdjaU9p`;
    const masker = maskerWith(jwt);
    const lines: string[] = [];
    const lineMasker = new LineMasker(masker, (line) => lines.push(line));
    const text = 'the release engine left the level here, see the elephant '.repeat(6).trim();
    lineMasker.write(`${text}\n`);
    expect(lines).toEqual([text]);
    lineMasker.write('tick 1\n');
    expect(lines).toEqual([text, 'tick 1']);
  });

  it('keeps multi-byte characters split across byte writes intact', () => {
    const masker = maskerWith('gehéim-wört');
    const bytes = Buffer.from('ä gehéim-wört ö\n', 'utf8');
    const lines: string[] = [];
    const lineMasker = new LineMasker(masker, (line) => lines.push(line));
    for (const byte of bytes) lineMasker.write(Buffer.from([byte]));
    lineMasker.end();
    expect(lines).toEqual([`ä ${MASK} ö`]);
  });

  it('cuts overlong lines without letting a secret through at the cut', () => {
    const masker = maskerWith(SECRET);
    const text = `${'a'.repeat(10)}${SECRET}${'b'.repeat(10)}`;
    const lines = maskLines(masker, [...text], 12);
    expect(lines.join('')).toBe(`${'a'.repeat(10)}${MASK}${'b'.repeat(10)}`);
    expect(lines.every((line) => line.length <= 12)).toBe(true);
  });

  it('strips carriage returns and keeps empty lines and a last line without newline', () => {
    const masker = maskerWith(SECRET);
    expectMaskedInEveryChunking(masker, `one\r\n\r\n${SECRET}`, ['one', '', MASK]);
  });
});
