import { ConfigError, loadConfig } from './config';

const base = { GIBBON_RUNNER_TOKEN: 'tok-1' };

describe('loadConfig', () => {
  it('applies the defaults of spec section 9', () => {
    const config = loadConfig(base, '/srv');
    expect(config).toMatchObject({
      serverUrl: 'http://localhost:8080',
      runnerToken: 'tok-1',
      capacity: 2,
      jobNetwork: 'bridge',
      dataDir: '/srv/.gibbon-data',
      workDir: '/srv/.gibbon-data/runner-work',
      storage: { kind: 'file', root: '/srv/.gibbon-data/storage' },
    });
    expect(config.runnerId).toMatch(/^runner-[0-9a-f]{16}$/);
    expect(loadConfig({ GIBBON_RUNNER_TOKEN: 'tok-2' }).runnerId).not.toBe(config.runnerId);
  });

  describe('the user build scripts run as', () => {
    it("is GIBBON_SCRIPT_USER when set, otherwise the runner's own user", () => {
      const env = { ...base, GIBBON_SCRIPT_USER: '65534:65533' };
      expect(loadConfig(env, '/srv', 0).scriptUser).toEqual({ uid: 65534, gid: 65533 });
      expect(loadConfig(base, '/srv', 0).scriptUser).toBeUndefined();
    });

    it('refuses GIBBON_SCRIPT_USER when the runner is not root', () => {
      const env = { ...base, GIBBON_SCRIPT_USER: '65534:65534' };
      expect(() => loadConfig(env, '/srv', 1000)).toThrow(
        "GIBBON_SCRIPT_USER needs a runner running as root (only root can start a process as another user); unset it to run scripts as the runner's user.",
      );
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
        GIBBON_STORAGE: 's3',
        GIBBON_S3_BUCKET: 'gibbon',
      },
      '/srv',
    );
    expect(config).toMatchObject({
      serverUrl: 'https://ci.example.com',
      capacity: 8,
      jobNetwork: 'none',
      workDir: '/data/runner-work',
      runnerId: 'box-1',
      drainTimeoutSeconds: 30,
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
    [{ ...base, GIBBON_STORAGE: 's3' }, /GIBBON_S3_BUCKET/],
    [
      { ...base, GIBBON_SCRIPT_USER: 'nobody' },
      /GIBBON_SCRIPT_USER="nobody" is not valid; use numeric/,
    ],
  ])('refuses %j with one line naming the variable', (env, message) => {
    let error: unknown;
    try {
      loadConfig(env, '/srv', 0);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});
