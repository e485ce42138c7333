import { createServer, type RequestListener, type Server } from 'node:http';

/** Time a request's headers may take to arrive (Node's default, 60 s, lets a slow client hold a connection that long). */
export const headersTimeoutMs = 10_000;

/** Default of `GIBBON_BODY_TIMEOUT_SECONDS`: GitHub gives a delivery 10 s too. */
export const defaultBodyTimeoutMs = 10_000;

/** How often Node checks its request deadlines (its default, 30 s, would let them overrun by as much). */
const deadlineCheckMs = 1_000;

export interface HttpServerOptions {
  /** Time a request body may take to arrive (`GIBBON_BODY_TIMEOUT_SECONDS`). */
  readonly bodyTimeoutMs: number;
}

/**
 * The HTTP server of public-api. The body parsers answer a late body with 408 themselves;
 * Node's own `requestTimeout` (headers plus body, with one check interval to spare, so the
 * parsers' answer comes first) is the backstop for a body that no parser reads: it answers 408
 * and closes the connection. Neither deadline applies once a request has arrived, so long
 * polls and event streams are not cut.
 */
export function createHttpServer(app: RequestListener, options: HttpServerOptions): Server {
  return createServer(
    {
      headersTimeout: headersTimeoutMs,
      requestTimeout: headersTimeoutMs + options.bodyTimeoutMs + deadlineCheckMs,
      connectionsCheckingInterval: deadlineCheckMs,
    },
    app,
  );
}
