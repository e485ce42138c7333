type Env = Readonly<Record<string, string | undefined>>;

/**
 * `--once` or `GIBBON_RUNNER_ONCE=1`: a disposable runner (an autoscaling group's machine, a
 * Kubernetes Job) claims one build, runs and reports it, and exits 0 whatever the build's
 * result. Returns whether to run once, or a problem as one line (the caller makes it its
 * ConfigError). `--once` is the only argument the runner takes.
 */
export function runOnceFrom(env: Env, args: readonly string[]): boolean | string {
  const unknown = args.find((arg) => arg !== '--once');
  if (unknown !== undefined) {
    return `Unknown argument ${JSON.stringify(unknown)}; the build-runner takes only --once (its settings are environment variables).`;
  }
  const raw = env.GIBBON_RUNNER_ONCE?.trim() ?? '';
  if (!['', '0', '1'].includes(raw)) {
    return `GIBBON_RUNNER_ONCE=${JSON.stringify(raw)} is not valid; use 1 to run one build and exit, or leave it unset.`;
  }
  return raw === '1' || args.includes('--once');
}
