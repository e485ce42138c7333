import { placeholderContext, publicUrlOf, slugOf } from './git-context';

describe('publicUrlOf', () => {
  it('keeps an https remote without its credentials', () => {
    expect(publicUrlOf('https://user:token@github.com/acme/app.git\n', 'app')).toBe(
      'https://github.com/acme/app.git',
    );
  });

  it('turns an scp-like ssh remote into https', () => {
    expect(publicUrlOf('git@github.com:acme/app.git', 'app')).toBe(
      'https://github.com/acme/app.git',
    );
  });

  it('falls back to a local URL without a usable remote', () => {
    expect(publicUrlOf(undefined, 'app')).toBe('http://localhost/app.git');
    expect(publicUrlOf('/srv/git/app.git', 'app')).toBe('http://localhost/app.git');
  });
});

describe('slugOf', () => {
  it('makes a repository name a slug', () => {
    expect(slugOf('My_Project (copy)')).toBe('my-project-copy');
    expect(slugOf('___')).toBe('local');
  });
});

describe('placeholderContext', () => {
  it('is a build of main, or of the tag asked for', () => {
    expect(placeholderContext('/x/draft').git).toMatchObject({ branch: 'main', tag: null });
    expect(placeholderContext('/x/draft', { tag: 'v1.0.0' }).git).toMatchObject({
      branch: null,
      tag: 'v1.0.0',
      ref: 'refs/tags/v1.0.0',
    });
  });
});
