import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tokenFileOf, withRunnerToken } from './registration';

describe('withRunnerToken', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gibbon-registration-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps a given GIBBON_RUNNER_TOKEN, and otherwise uses the token a registration kept', async () => {
    const given = { GIBBON_RUNNER_TOKEN: 'gbn_runner_given', GIBBON_DATA_DIR: dir };
    expect(await withRunnerToken(given, '/', 0, [])).toBe(given);
    await writeFile(join(dir, 'runner-token'), 'gbn_runner_kept\n', { mode: 0o600 });
    const env = { GIBBON_DATA_DIR: dir, GIBBON_RUNNER_REGISTRATION_TOKEN: 'gbn_registration_x' };
    expect((await withRunnerToken(env, '/', 0, [])).GIBBON_RUNNER_TOKEN).toBe('gbn_runner_kept');
  });

  it('checks every other setting before it spends the one-time token', async () => {
    const env = {
      GIBBON_DATA_DIR: dir,
      GIBBON_RUNNER_REGISTRATION_TOKEN: 'gbn_registration_x',
      // Nothing listens here: reaching it would fail with "Registering … failed".
      GIBBON_SERVER_URL: 'http://127.0.0.1:9',
      GIBBON_RUNNER_CAPACITY: 'two',
    };
    await expect(withRunnerToken(env, '/', 0, [])).rejects.toThrow(
      'GIBBON_RUNNER_CAPACITY="two" is not valid',
    );
  });

  it('says a registration failed, with why', async () => {
    const env = {
      GIBBON_DATA_DIR: dir,
      GIBBON_RUNNER_REGISTRATION_TOKEN: 'gbn_registration_x',
      GIBBON_SERVER_URL: 'http://127.0.0.1:9',
    };
    await expect(withRunnerToken(env, '/', 0, [])).rejects.toThrow(
      /^Registering with GIBBON_RUNNER_REGISTRATION_TOKEN failed: .*unreachable/,
    );
  });

  it('keeps the token in GIBBON_RUNNER_TOKEN_FILE, or runner-token in the data folder', () => {
    expect(tokenFileOf({ GIBBON_RUNNER_TOKEN_FILE: 'secrets/token' }, '/srv')).toBe(
      '/srv/secrets/token',
    );
    expect(tokenFileOf({ GIBBON_DATA_DIR: '/var/lib/runner' }, '/srv')).toBe(
      '/var/lib/runner/runner-token',
    );
  });
});
