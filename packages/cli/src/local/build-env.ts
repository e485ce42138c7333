import { parseParamArgs } from './params';

/**
 * The build-level environment of a local run (`ctx.env`): `--env NAME=VALUE` entries, and the
 * `--job` selection the SDK runtime reads as `GIBBON_ONLY_JOBS`.
 */
export function buildEnvOf(
  envArgs: readonly string[] | undefined,
  jobs: readonly string[] | undefined,
): Record<string, string> {
  const env = parseParamArgs(envArgs ?? [], '--env');
  if (jobs?.length) env.GIBBON_ONLY_JOBS = jobs.join(',');
  return env;
}
