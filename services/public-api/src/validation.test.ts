import { gitHostAllowlistFromEnv, InputError } from '@gibbon/contracts';
import { assertAllowedGitHost, assertCloneUrl, assertParamValues, assertSlug } from './validation';

describe('service-side validation', () => {
  it.each(['acme', 'a', 'my-org-2', 'a'.repeat(64)])('accepts the slug %j', (slug) => {
    expect(() => assertSlug(slug, 'org')).not.toThrow();
  });

  it.each([
    '',
    'Acme',
    'a/b',
    '..',
    'a..b/..',
    'a\u0000b',
    'a\nb',
    '\u001b[31mred',
    '-a',
    'a-',
    'a'.repeat(65),
  ])('refuses the slug %j', (slug) => expect(() => assertSlug(slug, 'org')).toThrow(InputError));

  it.each(['https://example.test/acme/app.git', 'http://127.0.0.1:3000/x.git'])(
    'accepts the url %s',
    (url) => {
      expect(() => assertCloneUrl(url)).not.toThrow();
    },
  );

  it.each([
    'file:///etc/passwd',
    'ext::sh -c touch% /tmp/pwned',
    'ssh://git@example.test/x.git',
    'https://user:pass@example.test/x.git',
    'https://token@example.test/x.git',
    'not a url',
  ])('refuses the url %j', (url) => expect(() => assertCloneUrl(url)).toThrow(InputError));

  it('accepts only clone URLs on an allowed git host, and says which setting allows another', () => {
    const allowlist = gitHostAllowlistFromEnv({ GIBBON_GIT_HOSTS: 'git.example.test' });
    expect(() => assertAllowedGitHost('https://github.com/acme/app.git', allowlist)).not.toThrow();
    expect(() => assertAllowedGitHost('https://git.example.test/app.git', allowlist)).not.toThrow();
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://127.0.0.1:3000/x.git',
      'http://[::1]/x.git',
      'http://localhost/x.git',
      'https://other.example.test/x.git',
    ]) {
      expect(() => assertAllowedGitHost(url, allowlist)).toThrow(InputError);
    }
    expect(() => assertAllowedGitHost('http://169.254.169.254/latest', allowlist)).toThrow(
      /host 169\.254\.169\.254 is not an allowed git host\. An operator can allow it by adding 169\.254\.169\.254 to GIBBON_GIT_HOSTS/,
    );
  });

  it('refuses duplicate names and values over 64 KiB', () => {
    expect(() =>
      assertParamValues([
        { name: 'A', value: '1' },
        { name: 'A', value: '2' },
      ]),
    ).toThrow(/twice/);
    expect(() => assertParamValues([{ name: 'A', value: 'x'.repeat(64 * 1024 + 1) }])).toThrow(
      /64 KiB/,
    );
    expect(() => assertParamValues([{ name: 'A', value: 'x'.repeat(64 * 1024) }])).not.toThrow();
    expect(() => assertParamValues([{ name: 'A/B', value: '1' }])).toThrow(InputError);
  });
});
