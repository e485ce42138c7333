import { NotFoundError, type OpenApiDocument } from '@gibbon/contracts';
import { validateRequests } from '@gibbon/contracts/validation';
import express, { type Express, type RequestHandler, type Response, type Router } from 'express';
import type { Logger } from '../logger';
import type { Services } from '../services';
import { authenticate } from './auth.middleware';
import { jsonBody, textBody } from './body/body-parsers';
import { defaultBodyTimeoutMs } from './http-server';
import { errorHandler } from './error.middleware';
import { OperationMatcher, operationsOf } from './operations';
import { requestLog } from './request-log.middleware';
import { contextOf } from './auth.middleware';
import { metricsRoutes, requestMetrics } from '../metrics';
import { webUi } from './web-ui';
import { sessionsRoutes } from '../sessions';
import { healthRoutes } from './health.routes';
import { keysRoutes } from '../keys';
import { orgsRoutes } from '../orgs';
import { paramsRoutes } from '../params';
import { reposRoutes } from '../repos';
import { runnersRoutes } from '../runners';
import { tokensRoutes } from '../tokens';
import { retentionRoutes } from '../retention';
import { schedulesRoutes } from '../schedules';
import { buildOutputRoutes } from '../logs';
import { buildsRoutes } from '../builds';
import { auditRoutes } from '../audit';
import { eventsRoutes } from '../events';
import { runnerApiRoutes } from '../queue';
import { webhookDeliveryRoutes, webhooksRoutes } from '../webhooks';

export interface AppDeps {
  readonly services: Services;
  /** The public API document; routes, token kinds and validation all come from it. */
  readonly document: OpenApiDocument;
  /** The runner API document (`/v1/runner/...`), served by the same app. */
  readonly runnerDocument: OpenApiDocument;
  /** Interval of `: keep-alive` comments on event streams (default 15 s). */
  readonly sseKeepAliveMs?: number;
  readonly logger: Logger;
  /** Also validate every answer against the document (the tests turn this on). */
  readonly validateResponses?: boolean;
  /** Time a request body may take to arrive, then 408 (default 10 s). */
  readonly bodyTimeoutMs?: number;
  /** The built web page to serve at `/` (`Config.webDir`); without it `/` is the API's 404. */
  readonly webDir?: string;
  /** The service is reached over https (`GIBBON_PUBLIC_URL`): session cookies are Secure. */
  readonly secureCookies?: boolean;
  /** `GIBBON_METRICS_TOKEN`: the bearer token of `GET /metrics`; without it metrics are off. */
  readonly metricsToken?: string;
}

/** The words of the answer to a documented operation that has no handler yet. */
export const notImplementedMarker = 'not implemented in this service yet';

/** Default JSON body limit outside webhooks (spec: 1 MiB, 413 beyond). */
export const jsonBodyLimitBytes = 1024 * 1024;

/** The route groups of the service; later issues (webhooks, builds, logs, events) add theirs here. */
function routers(deps: AppDeps): Router[] {
  return [
    healthRoutes(deps.document),
    metricsRoutes(deps.services.metrics, deps.metricsToken),
    sessionsRoutes(deps.services, deps.secureCookies === true),
    orgsRoutes(deps.services),
    retentionRoutes(deps.services),
    reposRoutes(deps.services),
    paramsRoutes(deps.services),
    tokensRoutes(deps.services),
    schedulesRoutes(deps.services),
    runnersRoutes(deps.services),
    keysRoutes(deps.services),
    webhooksRoutes(deps.services),
    buildsRoutes(deps.services),
    buildOutputRoutes(deps.services),
    eventsRoutes(deps.services, deps.sseKeepAliveMs ?? 15_000),
    runnerApiRoutes(deps.services),
    auditRoutes(deps.services),
  ];
}

/** The documented template of a request (`/v1/orgs/{org}/repos`), never its raw path. */
function routeOf(res: Response): string {
  return contextOf(res).matched?.operation.path ?? 'unmatched';
}

function isRunnerPath(path: string): boolean {
  return path.startsWith('/v1/runner/');
}

/**
 * One validator per document: a request goes through exactly the one of the document its path
 * belongs to, so a runner path is never refused as undocumented by the public document.
 */
function validator(document: OpenApiDocument, deps: AppDeps): RequestHandler {
  return validateRequests(document, { validateAnswers: deps.validateResponses === true });
}

/**
 * The public-api HTTP app, with no global state: tests build one per suite on an ephemeral
 * port. Pipeline: request log → the web page (GETs outside the APIs) → authentication (token kinds from the document, before the body
 * is read) → JSON or text body (1 MiB, within the body deadline) → OpenAPI request validation →
 * routes → one error middleware. Serve it with `createHttpServer` (Node's own deadlines).
 */
export function createApp(deps: AppDeps): Express {
  const matcher = new OperationMatcher([
    ...operationsOf(deps.document),
    ...operationsOf(deps.runnerDocument),
  ]);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLog(deps.logger));
  app.use(requestMetrics(deps.services.metrics, routeOf));
  if (deps.webDir !== undefined) app.use(webUi(deps.webDir));
  app.use(authenticate(matcher, deps.services.auth, deps.services.sessions));
  const deadlineMs = deps.bodyTimeoutMs ?? defaultBodyTimeoutMs;
  // Webhook deliveries keep their raw bytes for the signature: before any body parser.
  app.use(webhookDeliveryRoutes(deps.services, deadlineMs));
  const bodyLimit = {
    maxBytes: jsonBodyLimitBytes,
    tooLargeMessage: 'The body is larger than the 1 MiB this operation accepts.',
    deadlineMs,
  };
  app.use(jsonBody(bodyLimit));
  app.use(textBody(bodyLimit));
  const publicValidator = validator(deps.document, deps);
  const runnerValidator = validator(deps.runnerDocument, deps);
  app.use((req, res, next) => {
    (isRunnerPath(req.path) ? runnerValidator : publicValidator)(req, res, next);
  });
  for (const router of routers(deps)) app.use(router);
  // Reached only by a documented operation that no router handles (the validator has already
  // answered everything undocumented); the route-walk test keeps the list of those visible.
  app.use((req, _res, next) => {
    next(new NotFoundError(`${req.method} ${req.path} is documented but ${notImplementedMarker}.`));
  });
  app.use(errorHandler(deps.logger));
  return app;
}
