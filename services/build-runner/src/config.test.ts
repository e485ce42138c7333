import { availableParallelism } from 'node:os';
import { ConfigError, loadConfig } from './config';

const base = { GIBBON_RUNNER_TOKEN: 'tok-1' };

describe('loadConfig', () => {
  it('lets clones fetch from github.com, and from the hosts the operator lists', () => {
    const hosts = (env: Record<string, string>) =>
      loadConfig({ ...base, ...env }, '/srv').gitHosts.entries.map((entry) => [
        entry.host,
        entry.port,
        entry.reach,
      ]);
    expect(hosts({})).toEqual([['github.com', undefined, 'public']]);
    expect(
      hosts({
        GIBBON_GITHUB_API_URL: 'https://ghe.corp.test/api/v3',
        GIBBON_GIT_HOSTS: '127.0.0.1,gitlab.example.test:8443',
        GIBBON_GIT_INTERNAL_HOSTS: 'git.corp.test',
      }),
    ).toEqual([
      ['github.com', undefined, 'public'],
      ['ghe.corp.test', undefined, 'internal'],
      ['127.0.0.1', undefined, 'exact'],
      ['gitlab.example.test', 8443, 'public'],
      ['git.corp.test', undefined, 'internal'],
    ]);
    const bad = () => loadConfig({ ...base, GIBBON_GIT_INTERNAL_HOSTS: 'git.corp.test/x' });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(
      'GIBBON_GIT_INTERNAL_HOSTS holds "git.corp.test/x", which is not host or host:port; list forge hosts separated by commas, e.g. GIBBON_GIT_INTERNAL_HOSTS=git.example.com,git.example.com:8443,[2001:db8::1]:3000.',
    );
  });

  it('applies the defaults of spec section 9', () => {
    const config = loadConfig(base, '/srv', 1000);
    expect(config).toMatchObject({
      serverUrl: 'http://localhost:8080',
      runnerToken: 'tok-1',
      capacity: 2,
      jobNetwork: 'bridge',
      dataDir: '/srv/.gibbon-data',
      workDir: '/srv/.gibbon-data/runner-work',
      storage: { kind: 'file', root: '/srv/.gibbon-data/storage' },
      jobLogLimitMb: 1024,
      buildDiskLimitMb: 20_480,
    });
    expect(config.runnerId).toMatch(/^runner-[0-9a-f]{16}$/);
    expect(loadConfig({ GIBBON_RUNNER_TOKEN: 'tok-2' }).runnerId).not.toBe(config.runnerId);
  });

  it("keeps a root runner's work folder out of the private data folder", () => {
    const config = loadConfig(base, '/srv', 0);
    expect(config.workDir).toMatch(/^\/var\/lib\/gibbon-runner\/[0-9a-f]{16}$/);
  });

  describe('the sandbox', () => {
    it('boxes every build script by default, each root-run build under a uid of its own', () => {
      expect(loadConfig(base, '/srv').sandbox).toEqual({
        unsandboxed: false,
        uids: { first: 200_000, last: 265_535 },
        limits: {
          memoryBytes: 4 * 1024 ** 3,
          pids: 4096,
          cpus: Math.max(1, availableParallelism() - 1),
        },
      });
    });

    it('reads the opt-out, the uid range and the limits of each box', () => {
      const env = {
        ...base,
        GIBBON_UNSANDBOXED_SCRIPTS: '1',
        GIBBON_SANDBOX_UIDS: '300000-300009',
        GIBBON_SANDBOX_MEMORY_MB: '512',
        GIBBON_SANDBOX_PIDS: '256',
        GIBBON_SANDBOX_CPUS: '1.5',
      };
      expect(loadConfig(env, '/srv').sandbox).toEqual({
        unsandboxed: true,
        uids: { first: 300_000, last: 300_009 },
        limits: { memoryBytes: 512 * 1024 ** 2, pids: 256, cpus: 1.5 },
      });
    });
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        ...base,
        GIBBON_SERVER_URL: 'https://ci.example.com/',
        GIBBON_RUNNER_CAPACITY: '8',
        GIBBON_JOB_NETWORK: 'none',
        GIBBON_DATA_DIR: '/data',
        GIBBON_RUNNER_ID: 'box-1',
        GIBBON_RUNNER_DRAIN_TIMEOUT: '30',
        GIBBON_JOB_LOG_LIMIT_MB: '64',
        GIBBON_BUILD_DISK_MB: '2048',
        GIBBON_STORAGE: 's3',
        GIBBON_S3_BUCKET: 'gibbon',
      },
      '/srv',
      1000,
    );
    expect(config).toMatchObject({
      serverUrl: 'https://ci.example.com',
      capacity: 8,
      jobNetwork: 'none',
      workDir: '/data/runner-work',
      runnerId: 'box-1',
      drainTimeoutSeconds: 30,
      jobLogLimitMb: 64,
      buildDiskLimitMb: 2048,
      storage: { kind: 's3', bucket: 'gibbon' },
    });
  });

  it.each([
    [{}, /GIBBON_RUNNER_TOKEN is not set; register a runner/],
    [{ ...base, GIBBON_SERVER_URL: 'localhost:8080' }, /GIBBON_SERVER_URL must be an http/],
    [{ ...base, GIBBON_SERVER_URL: 'not a url' }, /GIBBON_SERVER_URL="not a url" is not a URL/],
    [{ ...base, GIBBON_SERVER_URL: 'http://u:p@host' }, /must not carry credentials/],
    [{ ...base, GIBBON_RUNNER_CAPACITY: '0' }, /GIBBON_RUNNER_CAPACITY="0" is not valid/],
    [{ ...base, GIBBON_RUNNER_CAPACITY: '2.5' }, /GIBBON_RUNNER_CAPACITY/],
    [
      { ...base, GIBBON_JOB_NETWORK: 'overlay' },
      /GIBBON_JOB_NETWORK must be "bridge", "host" or "none"/,
    ],
    [{ ...base, GIBBON_RUNNER_ID: '../x' }, /GIBBON_RUNNER_ID may hold/],
    [{ ...base, GIBBON_JOB_LOG_LIMIT_MB: '0' }, /GIBBON_JOB_LOG_LIMIT_MB="0" is not valid/],
    [{ ...base, GIBBON_BUILD_DISK_MB: '20G' }, /GIBBON_BUILD_DISK_MB="20G" is not valid/],
    [{ ...base, GIBBON_STORAGE: 's3' }, /GIBBON_S3_BUCKET/],
    [{ ...base, GIBBON_SCRIPT_USER: '65534:65534' }, /GIBBON_SCRIPT_USER is no longer used/],
    [
      { ...base, GIBBON_UNSANDBOXED_SCRIPTS: 'yes' },
      /GIBBON_UNSANDBOXED_SCRIPTS="yes" is not valid/,
    ],
    [{ ...base, GIBBON_SANDBOX_UIDS: '0-10' }, /GIBBON_SANDBOX_UIDS="0-10" is not valid/],
    [{ ...base, GIBBON_SANDBOX_UIDS: '300000' }, /GIBBON_SANDBOX_UIDS="300000" is not valid/],
    [{ ...base, GIBBON_SANDBOX_MEMORY_MB: '1g' }, /GIBBON_SANDBOX_MEMORY_MB="1g" is not valid/],
    [{ ...base, GIBBON_SANDBOX_PIDS: '0' }, /GIBBON_SANDBOX_PIDS="0" is not valid/],
    [{ ...base, GIBBON_SANDBOX_CPUS: 'half' }, /GIBBON_SANDBOX_CPUS="half" is not valid/],
    [{ ...base, GIBBON_RUNNER_ONCE: 'yes' }, /GIBBON_RUNNER_ONCE="yes" is not valid/],
  ])('refuses %j with one line naming the variable', (env, message) => {
    let error: unknown;
    try {
      loadConfig(env, '/srv');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('serves metrics only when GIBBON_METRICS_PORT is set, on loopback, with a token', () => {
    expect(loadConfig(base).metrics).toBeUndefined();
    const token = 'a'.repeat(32);
    expect(
      loadConfig({ ...base, GIBBON_METRICS_PORT: '9464', GIBBON_METRICS_TOKEN: token }).metrics,
    ).toEqual({ port: 9464, host: '127.0.0.1', token });
    const host = {
      GIBBON_METRICS_PORT: '0',
      GIBBON_METRICS_TOKEN: token,
      GIBBON_METRICS_HOST: '0.0.0.0',
    };
    expect(loadConfig({ ...base, ...host }).metrics?.host).toBe('0.0.0.0');
    expect(() => loadConfig({ ...base, GIBBON_METRICS_PORT: '9464' })).toThrow(
      /needs GIBBON_METRICS_TOKEN/,
    );
    expect(() =>
      loadConfig({ ...base, GIBBON_METRICS_PORT: 'x', GIBBON_METRICS_TOKEN: token }),
    ).toThrow(/not a port/);
  });

  it('runs once with --once or GIBBON_RUNNER_ONCE=1, and refuses other arguments', () => {
    expect(loadConfig(base, '/srv').once).toBe(false);
    expect(loadConfig(base, '/srv', 1000, ['--once']).once).toBe(true);
    expect(loadConfig({ ...base, GIBBON_RUNNER_ONCE: '1' }, '/srv').once).toBe(true);
    expect(loadConfig({ ...base, GIBBON_RUNNER_ONCE: '0' }, '/srv').once).toBe(false);
    expect(() => loadConfig(base, '/srv', 1000, ['--onse'])).toThrow(
      'Unknown argument "--onse"; the build-runner takes only --once (its settings are environment variables).',
    );
  });
});
