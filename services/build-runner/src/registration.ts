import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { answerOf, createRunnerApiClient } from '@gibbon/contracts/clients';
import { ConfigError, loadConfig } from './config';

type Env = Readonly<Record<string, string | undefined>>;

/** Where a runner that registered itself keeps its runner token across restarts. */
export function tokenFileOf(env: Env, cwd: string): string {
  const file = env.GIBBON_RUNNER_TOKEN_FILE?.trim();
  if (file) return resolve(cwd, file);
  return join(resolve(cwd, env.GIBBON_DATA_DIR?.trim() || '.gibbon-data'), 'runner-token');
}

async function keptToken(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`Cannot read the runner token file ${file}: ${(error as Error).message}`);
  }
}

async function register(serverUrl: string, registrationToken: string, name: string) {
  const client = createRunnerApiClient({ baseUrl: serverUrl, token: registrationToken });
  try {
    const registered = await answerOf(
      'register this runner',
      client.POST('/v1/runner/register', {
        body: { name, platform: { os: process.platform, arch: process.arch } },
      }),
      { unreachable: (cause) => `public-api at ${serverUrl} is unreachable (${cause})` },
    );
    return registered.token;
  } catch (error) {
    throw new ConfigError(
      `Registering with GIBBON_RUNNER_REGISTRATION_TOKEN failed: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * The environment the runner starts with (services/build-runner/README.md, "Registering
 * itself"): as given when it holds `GIBBON_RUNNER_TOKEN`; else with the token an earlier
 * registration kept in the token file; else, with `GIBBON_RUNNER_REGISTRATION_TOKEN`, with the
 * token a registration mints now, written to the token file (0600) first, so a restarted runner
 * is the same runner and never spends a second registration token. Every other setting is
 * checked before the one-time token is spent.
 */
export async function withRunnerToken(
  env: Env,
  cwd: string,
  runnerUid: number | undefined,
  args: readonly string[],
): Promise<Env> {
  if (env.GIBBON_RUNNER_TOKEN?.trim()) return env;
  const file = tokenFileOf(env, cwd);
  const kept = await keptToken(file);
  if (kept) return { ...env, GIBBON_RUNNER_TOKEN: kept };
  const registrationToken = env.GIBBON_RUNNER_REGISTRATION_TOKEN?.trim();
  // Without either, loadConfig says what to set.
  if (!registrationToken) return env;
  const { serverUrl } = loadConfig(
    { ...env, GIBBON_RUNNER_TOKEN: 'not-yet-registered' },
    cwd,
    runnerUid,
    args,
  );
  const name = (env.GIBBON_RUNNER_NAME?.trim() || hostname()).slice(0, 100);
  const token = await register(serverUrl, registrationToken, name);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return { ...env, GIBBON_RUNNER_TOKEN: token };
}
