import { InputError } from '@gibbon/contracts';
import {
  artifactKey,
  artifactPrefix,
  buildPrefixes,
  cacheKey,
  logChunkKey,
  logPrefix,
  validateKey,
  validatePrefix,
  workspaceKey,
} from './keys';

const job = { org: 'acme', repo: 'web-app', build: 42, job: 'unit_tests' };

describe('key builders', () => {
  it('build the layout of spec section 7', () => {
    expect(logChunkKey({ ...job, attempt: 1, seq: 7 })).toBe(
      'logs/acme/web-app/42/unit_tests/1/0000000007.log',
    );
    expect(logPrefix(job)).toBe('logs/acme/web-app/42/unit_tests/');
    expect(logPrefix({ org: 'acme', repo: 'web-app', build: 42 })).toBe('logs/acme/web-app/42/');
    expect(artifactKey({ ...job, id: 'coverage' })).toBe(
      'artifacts/acme/web-app/42/coverage.tar.gz',
    );
    expect(artifactPrefix(job)).toBe('artifacts/acme/web-app/42/');
    expect(cacheKey({ org: 'acme', repo: 'web-app', id: 'npm', hash: 'ab12' })).toBe(
      'caches/acme/web-app/npm-ab12.tar.gz',
    );
    expect(workspaceKey({ ...job, id: 'checkout' })).toBe(
      'workspaces/acme/web-app/42/checkout.tar.gz',
    );
    expect(buildPrefixes(job)).toEqual([
      'logs/acme/web-app/42/',
      'artifacts/acme/web-app/42/',
      'workspaces/acme/web-app/42/',
    ]);
  });

  it('pad log sequence numbers so key order is numeric order', () => {
    const keys = [10, 9, 100, 2].map((seq) => logChunkKey({ ...job, attempt: 1, seq }));
    const sorted = [2, 9, 10, 100].map((seq) => logChunkKey({ ...job, attempt: 1, seq }));
    expect([...keys].sort()).toEqual(sorted);
  });

  it.each([
    ['a traversal org', () => artifactKey({ ...job, org: '..', id: 'x' })],
    ['a slash in a repo', () => artifactKey({ ...job, repo: 'a/b', id: 'x' })],
    ['a traversal artifact id', () => artifactKey({ ...job, id: '../../etc/passwd' })],
    ['an absolute artifact id', () => artifactKey({ ...job, id: '/etc/passwd' })],
    ['a NUL in a job id', () => logPrefix({ ...job, job: 'a\u0000b' })],
    ['a newline in a job id', () => logPrefix({ ...job, job: 'a\nb' })],
    ['a backslash in a cache id', () => cacheKey({ ...job, id: 'a\\b', hash: 'ff' })],
    ['an empty id', () => workspaceKey({ ...job, id: '' })],
    ['an id of 101 characters', () => artifactKey({ ...job, id: 'a'.repeat(101) })],
    ['a leading dot', () => artifactKey({ ...job, id: '.hidden' })],
    ['build number 0', () => artifactKey({ ...job, build: 0, id: 'x' })],
    ['a fractional build number', () => artifactKey({ ...job, build: 1.5, id: 'x' })],
    ['a negative sequence', () => logChunkKey({ ...job, attempt: 1, seq: -1 })],
    ['a sequence of 11 digits', () => logChunkKey({ ...job, attempt: 1, seq: 1e10 })],
    ['attempt 0', () => logChunkKey({ ...job, attempt: 0, seq: 1 })],
    ['a dash in a cache hash', () => cacheKey({ ...job, id: 'npm', hash: 'a-b' })],
    ['an upper-case cache hash', () => cacheKey({ ...job, id: 'npm', hash: 'ABC' })],
  ])('refuse %s with an InputError', (_, build) => {
    expect(build).toThrow(InputError);
  });

  it('name the offending id in the message', () => {
    expect(() => artifactKey({ ...job, id: '../x' })).toThrow(/Artifact id "\.\.\/x"/);
  });
});

describe('validateKey and validatePrefix', () => {
  it('accept ordinary keys and prefixes', () => {
    expect(validateKey('a/b.c/d-e_f')).toBe('a/b.c/d-e_f');
    expect(validatePrefix('')).toBe('');
    expect(validatePrefix('a/')).toBe('a/');
    expect(validatePrefix('a/b')).toBe('a/b');
  });

  it.each(['..', 'a/../b', '/a', 'a\\b', 'a\u0000', 'a//b', 'a/', '', 'x'.repeat(1025)])(
    'refuse the key %j',
    (key) => {
      expect(() => validateKey(key)).toThrow(InputError);
    },
  );

  it.each(['../', '/', 'a//', '//', 'a/../'])('refuse the prefix %j', (prefix) => {
    expect(() => validatePrefix(prefix)).toThrow(InputError);
  });
});
