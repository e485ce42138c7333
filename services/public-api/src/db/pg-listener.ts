import { Client } from 'pg';

/** What a `PgListener` reports; called on its own connection's events, never concurrently. */
export interface ListenerHandlers {
  /** A notification on the channel, from any session (this process's own sends included). */
  notification(payload: string): void;
  /**
   * LISTEN is in place again after the connection was lost. Notifications sent since about
   * `lastAliveAt` (the last moment the connection was known to work) may never arrive.
   */
  resumed(lastAliveAt: Date): void;
  /** The connection failed or was lost; the next attempt is in `retryInMs`. */
  lost(error: unknown, retryInMs: number): void;
}

export interface ListenerOptions {
  /** The first wait before a new connection after a loss; it doubles up to `maxRetryMs`. */
  readonly retryMs: number;
  readonly maxRetryMs: number;
  /** How often the idle connection is checked with `SELECT 1` (a silent network loss). */
  readonly pingMs: number;
  /** Shown in `pg_stat_activity.application_name` (operators and tests find it there). */
  readonly applicationName: string;
}

export const defaultListenerOptions: ListenerOptions = {
  retryMs: 100,
  maxRetryMs: 5_000,
  pingMs: 10_000,
  applicationName: 'gibbon-events',
};

/**
 * One dedicated Postgres connection (not from the pool: a pooled one is handed to other
 * queries and loses its LISTEN) that runs `LISTEN channel` and reconnects with backoff when
 * the server ends it.
 *
 * Lifecycle: `start` makes the first attempt and resolves after it, whether it worked or not
 * (a failure is reported to `lost` and retried); `close` stops retrying, UNLISTENs and ends the
 * connection. `close` is safe to call twice or without `start`.
 */
export class PgListener {
  private readonly options: ListenerOptions;
  private client: Client | undefined;
  private closed = false;
  private started = false;
  private failures = 0;
  private lastAliveAt = new Date();
  /** Set while there is no LISTEN in place after one was (or should have been). */
  private lostSince: Date | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly handlers: ListenerHandlers,
    options: Partial<ListenerOptions> = {},
  ) {
    // The name goes into LISTEN as an identifier (no parameters there).
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Not a channel name: ${channel}`);
    this.options = { ...defaultListenerOptions, ...options };
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.lastAliveAt = new Date();
    await this.connect();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    await client.query(`UNLISTEN ${this.channel}`).catch(() => undefined);
    await client.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.url,
      application_name: this.options.applicationName,
      keepAlive: true,
      // Only LISTEN and the ping run here: a ping that hangs means the connection is gone.
      query_timeout: this.options.pingMs,
    });
    let gone = false;
    const drop = (error: unknown) => {
      if (gone) return;
      gone = true;
      this.dropped(client, error);
    };
    client.on('error', drop);
    client.on('end', () => drop(new Error('The events connection to Postgres ended.')));
    client.on('notification', (message) => {
      if (message.channel !== this.channel || message.payload === undefined) return;
      this.lastAliveAt = new Date();
      this.handlers.notification(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      drop(error);
      return;
    }
    if (this.closed || gone) {
      await client.end().catch(() => undefined);
      return;
    }
    this.established(client, drop);
  }

  private established(client: Client, drop: (error: unknown) => void): void {
    this.client = client;
    this.failures = 0;
    this.lastAliveAt = new Date();
    this.pingTimer = setInterval(() => this.ping(client, drop), this.options.pingMs);
    const lostSince = this.lostSince;
    this.lostSince = undefined;
    if (lostSince) this.handlers.resumed(lostSince);
  }

  /**
   * A ping that fails or times out counts as a lost connection at once: ending a connection
   * whose peer is gone silently may wait for TCP to give up, and the retry must not.
   */
  private ping(client: Client, drop: (error: unknown) => void): void {
    client.query('SELECT 1').then(() => {
      this.lastAliveAt = new Date();
    }, drop);
  }

  private dropped(client: Client, error: unknown): void {
    if (this.client === client) {
      this.client = undefined;
      clearInterval(this.pingTimer);
    }
    void client.end().catch(() => undefined);
    if (this.closed) return;
    this.lostSince ??= this.lastAliveAt;
    const retryInMs = Math.min(
      this.options.maxRetryMs,
      this.options.retryMs * 2 ** Math.min(this.failures, 16),
    );
    this.failures += 1;
    this.handlers.lost(error, retryInMs);
    this.retryTimer = setTimeout(() => void this.connect(), retryInMs);
  }
}
