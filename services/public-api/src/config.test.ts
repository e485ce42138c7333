import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { ConfigError, loadConfig } from './config';

describe('config from the environment', () => {
  it('has working defaults: SQLite and storage in .gibbon-data of the working folder', () => {
    const config = loadConfig({}, '/srv/gibbon');
    expect(config).toMatchObject({
      dataDir: '/srv/gibbon/.gibbon-data',
      port: 8080,
      host: '0.0.0.0',
      publicUrl: 'http://localhost:8080',
      database: { backend: 'sqlite', file: '/srv/gibbon/.gibbon-data/gibbon.sqlite' },
      masterKey: undefined,
      githubApiUrl: 'https://api.github.com',
      storage: { kind: 'file', root: '/srv/gibbon/.gibbon-data/storage' },
      leaseSeconds: 60,
      bodyTimeoutSeconds: 10,
      commitStatusMaxAgeSeconds: 3600,
    });
  });

  it('allows clone URLs on github.com and the hosts of GIBBON_GIT_HOSTS and GIBBON_GIT_INTERNAL_HOSTS', () => {
    expect(loadConfig({}, '/').gitHosts.entries.map((entry) => entry.host)).toEqual(['github.com']);
    const config = loadConfig(
      {
        GIBBON_GITHUB_API_URL: 'https://ghe.example.test/api/v3',
        GIBBON_GIT_HOSTS: 'gitlab.example.test:8443',
        GIBBON_GIT_INTERNAL_HOSTS: 'git.corp.test',
      },
      '/',
    );
    expect(config.gitHosts.entries.map(({ host, port, reach }) => [host, port, reach])).toEqual([
      ['github.com', undefined, 'public'],
      ['ghe.example.test', undefined, 'internal'],
      ['gitlab.example.test', 8443, 'public'],
      ['git.corp.test', undefined, 'internal'],
    ]);
    expect(() => loadConfig({ GIBBON_GIT_HOSTS: 'https://gitlab.example.test' }, '/')).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ GIBBON_GIT_HOSTS: 'https://gitlab.example.test' }, '/')).toThrow(
      /^GIBBON_GIT_HOSTS holds "https:\/\/gitlab.example.test", which is not host or host:port/,
    );
  });

  it('reads GIBBON_LEASE_SECONDS and refuses values that are not whole seconds from 2 to 3600', () => {
    expect(loadConfig({ GIBBON_LEASE_SECONDS: '5' }, '/').leaseSeconds).toBe(5);
    for (const bad of ['1', '0', '5s', '-3', '3601', '']) {
      expect(() => loadConfig({ GIBBON_LEASE_SECONDS: bad }, '/')).toThrow(
        new ConfigError(
          `GIBBON_LEASE_SECONDS=${JSON.stringify(bad)} is not valid; use a whole number of seconds from 2 to 3600.`,
        ),
      );
    }
  });

  it('reads GIBBON_COMMIT_STATUS_MAX_AGE_SECONDS and refuses values that are not whole seconds from 1 to a week', () => {
    const config = loadConfig({ GIBBON_COMMIT_STATUS_MAX_AGE_SECONDS: '600' }, '/');
    expect(config.commitStatusMaxAgeSeconds).toBe(600);
    for (const bad of ['0', '1.5', '1h', '604801', '']) {
      expect(() => loadConfig({ GIBBON_COMMIT_STATUS_MAX_AGE_SECONDS: bad }, '/')).toThrow(
        new ConfigError(
          `GIBBON_COMMIT_STATUS_MAX_AGE_SECONDS=${JSON.stringify(bad)} is not valid; use a whole number of seconds from 1 to 604800 (a week).`,
        ),
      );
    }
  });

  it('reads GIBBON_BODY_TIMEOUT_SECONDS and refuses values that are not whole seconds from 1 to 600', () => {
    expect(loadConfig({ GIBBON_BODY_TIMEOUT_SECONDS: '30' }, '/').bodyTimeoutSeconds).toBe(30);
    for (const bad of ['0', '1.5', '10s', '-1', '601', '']) {
      expect(() => loadConfig({ GIBBON_BODY_TIMEOUT_SECONDS: bad }, '/')).toThrow(
        new ConfigError(
          `GIBBON_BODY_TIMEOUT_SECONDS=${JSON.stringify(bad)} is not valid; use a whole number of seconds from 1 to 600.`,
        ),
      );
    }
  });

  it('runs one process on SQLite and one per core on Postgres unless GIBBON_API_WORKERS says', () => {
    const onPostgres = { GIBBON_DATABASE_URL: 'postgres://gibbon@db:5432/gibbon' };
    expect(loadConfig({}, '/').apiWorkers).toBe(1);
    expect(loadConfig(onPostgres, '/').apiWorkers).toBe(Math.min(availableParallelism(), 64));
    expect(loadConfig({ ...onPostgres, GIBBON_API_WORKERS: '3' }, '/').apiWorkers).toBe(3);
    expect(loadConfig({ GIBBON_API_WORKERS: '1' }, '/').apiWorkers).toBe(1);
    for (const bad of ['0', '65', '2.5', 'many']) {
      expect(() => loadConfig({ ...onPostgres, GIBBON_API_WORKERS: bad }, '/')).toThrow(
        `GIBBON_API_WORKERS="${bad}" is not valid; use a whole number of processes from 1 to 64.`,
      );
    }
    expect(() => loadConfig({ GIBBON_API_WORKERS: '2' }, '/')).toThrow(
      'GIBBON_API_WORKERS=2 needs Postgres: on SQLite the processes could not tell each other about new builds and log lines. Set GIBBON_DATABASE_URL, or GIBBON_API_WORKERS=1.',
    );
  });

  it('reads every variable', () => {
    const key = randomBytes(32);
    const config = loadConfig(
      {
        GIBBON_DATA_DIR: '/data',
        GIBBON_PORT: '9090',
        GIBBON_PUBLIC_URL: 'https://ci.example.test/',
        GIBBON_DATABASE_URL: 'postgres://u:p@db:5432/gibbon',
        GIBBON_MASTER_KEY: key.toString('base64'),
        GIBBON_GITHUB_API_URL: 'http://127.0.0.1:4000',
        GIBBON_STORAGE: 's3',
        GIBBON_S3_BUCKET: 'b',
        GIBBON_S3_ENDPOINT: 'http://127.0.0.1:4569',
      },
      '/',
    );
    expect(config.port).toBe(9090);
    expect(config.publicUrl).toBe('https://ci.example.test');
    expect(config.database).toEqual({ backend: 'postgres', url: 'postgres://u:p@db:5432/gibbon' });
    expect(config.masterKey?.equals(key)).toBe(true);
    expect(config.storage).toEqual({
      kind: 's3',
      bucket: 'b',
      endpoint: 'http://127.0.0.1:4569',
      region: 'us-east-1',
    });
  });

  it.each([
    [{ GIBBON_PORT: 'eighty' }, /GIBBON_PORT/],
    [{ GIBBON_PORT: '70000' }, /GIBBON_PORT/],
    [{ GIBBON_PUBLIC_URL: 'localhost:8080' }, /GIBBON_PUBLIC_URL/],
    [{ GIBBON_GITHUB_API_URL: 'ftp://x' }, /GIBBON_GITHUB_API_URL/],
    [{ GIBBON_DATABASE_URL: 'mysql://x' }, /GIBBON_DATABASE_URL/],
    [{ GIBBON_MASTER_KEY: 'c2hvcnQ=' }, /GIBBON_MASTER_KEY.*openssl rand -base64 32/],
    [{ GIBBON_STORAGE: 'tape' }, /GIBBON_STORAGE/],
    [{ GIBBON_STORAGE: 's3' }, /GIBBON_S3_BUCKET/],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env, '/')).toThrow(ConfigError);
    expect(() => loadConfig(env, '/')).toThrow(message);
  });

  it('reads GIBBON_MASTER_KEY_PREVIOUS (comma-separated) beside GIBBON_MASTER_KEY, and refuses it alone', () => {
    const [current, older, oldest] = [randomBytes(32), randomBytes(32), randomBytes(32)];
    const config = loadConfig(
      {
        GIBBON_MASTER_KEY: current.toString('base64'),
        GIBBON_MASTER_KEY_PREVIOUS: `${older.toString('base64')},${oldest.toString('base64')}`,
      },
      '/',
    );
    expect(config.previousMasterKeys).toEqual([older, oldest]);
    expect(loadConfig({}, '/').previousMasterKeys).toEqual([]);
    expect(() => loadConfig({ GIBBON_MASTER_KEY_PREVIOUS: older.toString('base64') }, '/')).toThrow(
      new ConfigError(
        'GIBBON_MASTER_KEY_PREVIOUS is set without GIBBON_MASTER_KEY; set GIBBON_MASTER_KEY to the key to rotate to, or unset both to use the master.key file.',
      ),
    );
    expect(() =>
      loadConfig(
        { GIBBON_MASTER_KEY: current.toString('base64'), GIBBON_MASTER_KEY_PREVIOUS: 'c2hvcnQ=' },
        '/',
      ),
    ).toThrow(/^Each key of GIBBON_MASTER_KEY_PREVIOUS must be the base64 of exactly 32/);
  });
});
