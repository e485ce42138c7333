/** Where the runner serves `GET /metrics`, and the token a scrape must send. */
export interface MetricsConfig {
  readonly port: number;
  readonly host: string;
  readonly token: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * `GIBBON_METRICS_PORT` turns the metrics server on (`0` picks a free port); it listens on
 * `GIBBON_METRICS_HOST` (loopback by default) and needs `GIBBON_METRICS_TOKEN`. Returns a
 * problem as one line (the caller makes it its ConfigError), or the settings, or `undefined`.
 */
export function metricsConfigFromEnv(env: Env): MetricsConfig | string | undefined {
  const rawPort = env.GIBBON_METRICS_PORT?.trim();
  if (!rawPort) return undefined;
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65535) {
    return `GIBBON_METRICS_PORT=${JSON.stringify(rawPort)} is not a port; use a number from 0 to 65535 (0 picks a free one).`;
  }
  const token = env.GIBBON_METRICS_TOKEN?.trim() ?? '';
  if (!/^\S{16,}$/.test(token)) {
    return 'GIBBON_METRICS_PORT needs GIBBON_METRICS_TOKEN, at least 16 characters without spaces (e.g. `openssl rand -hex 32`); a scrape sends it as "Authorization: Bearer <token>".';
  }
  return { port, host: env.GIBBON_METRICS_HOST?.trim() || '127.0.0.1', token };
}
