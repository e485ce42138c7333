import {
  findGitHost,
  gitHostAllowlistFromEnv,
  gitHostNotAllowedMessage,
  GitHostsError,
  type GitHostAllowlist,
} from './git-hosts';

const allowed = (allowlist: GitHostAllowlist, url: string) =>
  findGitHost(new URL(url), allowlist)?.reach;

describe('gitHostAllowlistFromEnv', () => {
  it('allows github.com alone by default, on any port', () => {
    const allowlist = gitHostAllowlistFromEnv({});
    expect(allowed(allowlist, 'https://github.com/acme/app.git')).toBe('public');
    expect(allowed(allowlist, 'https://GitHub.com./acme/app.git')).toBe('public');
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://127.0.0.1:8080/app.git',
      'http://localhost/app.git',
      'http://[::1]/app.git',
      'http://10.0.0.5/app.git',
      'https://github.com.evil.test/app.git',
      'https://api.github.com/app.git',
    ]) {
      expect({ url, reach: allowed(allowlist, url) }).toEqual({ url, reach: undefined });
    }
  });

  it('adds the host of a GitHub Enterprise API URL, not that of a stand-in', () => {
    const server = gitHostAllowlistFromEnv({
      GIBBON_GITHUB_API_URL: 'https://GHE.corp.example:8443/api/v3',
    });
    expect(allowed(server, 'https://ghe.corp.example:8443/acme/app.git')).toBe('internal');
    expect(allowed(server, 'https://ghe.corp.example/acme/app.git')).toBeUndefined();
    const cloud = gitHostAllowlistFromEnv({ GIBBON_GITHUB_API_URL: 'https://api.octo.ghe.com' });
    expect(allowed(cloud, 'https://octo.ghe.com/acme/app.git')).toBe('public');
    const standIn = gitHostAllowlistFromEnv({ GIBBON_GITHUB_API_URL: 'http://127.0.0.1:9999' });
    expect(allowed(standIn, 'http://127.0.0.1:9999/acme/app.git')).toBeUndefined();
  });

  it('reads host[:port] entries of both variables, with the reach each allows', () => {
    const allowlist = gitHostAllowlistFromEnv({
      GIBBON_GIT_HOSTS: ' git.example.com , code.example.org:8443,127.0.0.1,[::1]:3000,localhost',
      GIBBON_GIT_INTERNAL_HOSTS: 'git.corp.example',
    });
    expect(allowed(allowlist, 'https://git.example.com:444/a.git')).toBe('public');
    expect(allowed(allowlist, 'https://code.example.org:8443/a.git')).toBe('public');
    expect(allowed(allowlist, 'https://code.example.org/a.git')).toBeUndefined();
    expect(allowed(allowlist, 'http://127.0.0.1:5000/a.git')).toBe('exact');
    // The URL parser's other spellings of 127.0.0.1 are the same host.
    expect(allowed(allowlist, 'http://2130706433:5000/a.git')).toBe('exact');
    expect(allowed(allowlist, 'http://[::1]:3000/a.git')).toBe('exact');
    expect(allowed(allowlist, 'http://[::1]:3001/a.git')).toBeUndefined();
    expect(allowed(allowlist, 'http://localhost:1234/a.git')).toBe('internal');
    expect(allowed(allowlist, 'https://git.corp.example/a.git')).toBe('internal');
  });

  it.each([
    ['a URL', 'https://git.example.com'],
    ['a path', 'git.example.com/acme'],
    ['user info', 'me@git.example.com'],
    ['port 0', 'git.example.com:0'],
    ['a port too large', 'git.example.com:70000'],
    ['an unclosed bracket', '[::1'],
  ])('refuses %s, naming the variable', (_, entry) => {
    expect(() => gitHostAllowlistFromEnv({ GIBBON_GIT_HOSTS: entry })).toThrow(GitHostsError);
    expect(() => gitHostAllowlistFromEnv({ GIBBON_GIT_HOSTS: entry })).toThrow(
      `GIBBON_GIT_HOSTS holds ${JSON.stringify(entry)}, which is not host or host:port`,
    );
  });
});

describe('gitHostNotAllowedMessage', () => {
  it('names the host (with its port) and the settings that allow it', () => {
    expect(gitHostNotAllowedMessage(new URL('http://169.254.169.254/latest'))).toBe(
      "The clone URL's host 169.254.169.254 is not an allowed git host. An operator can allow it by adding 169.254.169.254 to GIBBON_GIT_HOSTS (or to GIBBON_GIT_INTERNAL_HOSTS for a forge on their own network) of public-api and every build-runner.",
    );
    expect(gitHostNotAllowedMessage(new URL('http://Git.Corp:8080/a.git'))).toContain(
      'adding git.corp:8080 to GIBBON_GIT_HOSTS',
    );
  });
});
