import type { Express, Request, Response } from 'express';
import express from 'express';
import type { ContainerJob, ScriptEvent } from '@gibbon/contracts';
import { validateRequests } from '@gibbon/contracts/validation';
import { authenticate, requireScope } from './auth';
import type { BuildSession } from './build-session';
import type { BuildStorage } from './build-storage';
import type { ContainerJobService } from './container-jobs';
import { errorHandler } from './errors';
import { scriptApiDocument, scriptApiDocumentJson } from './script-api-document';
import { cacheKeyOf, storageIdOf } from './storage-params';
import type { ScriptTokenKey } from './token';

export interface ScriptApiDeps {
  key: ScriptTokenKey;
  session: BuildSession;
  containerJobs: ContainerJobService;
  /** Absent: the artifact and cache routes answer 404 (no storage configured). */
  storage?: BuildStorage;
  /** Check every answer against the document too (tests: catches drift from the contract). */
  validateResponses?: boolean;
}

/** Action-job log batches and events are small; artifacts and caches are streamed, not parsed. */
const JSON_LIMIT = '5mb';

/** The document's default `wait` of `GET /v1/jobs/{jobId}/approval`. */
const DEFAULT_APPROVAL_WAIT_SECONDS = 20;

const validators = new Map<boolean, express.RequestHandler>();

/**
 * The request (and optionally answer) validator, one per process: it compiles the schema of
 * each operation on first use, so sharing it keeps that cost off every later build's start.
 * It holds no per-request state. Streamed tar.gz bodies (artifacts, caches) pass it unread;
 * their ids and keys are checked by storage-params.ts too.
 */
function scriptApiValidator(validateResponses: boolean): express.RequestHandler {
  let validator = validators.get(validateResponses);
  if (!validator) {
    validator = validateRequests(scriptApiDocument(), { validateAnswers: validateResponses });
    validators.set(validateResponses, validator);
  }
  return validator;
}

/** Builds the per-process parts of the Script API ahead of the first build (`preloadScriptApi`). */
export function prepareScriptApi(): void {
  scriptApiDocumentJson();
  scriptApiValidator(false);
}

/** An AbortSignal that fires when the caller goes away before the answer is sent. */
function callerGone(res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

function param(req: Request, name: string): string {
  return String(req.params[name]);
}

/**
 * The Script API of one build (spec section 3). Every request but the document is
 * authenticated by the build's token, validated against the Script API OpenAPI document and
 * checked against the token's scope; handlers only call the session's services.
 */
export function createScriptApiApp({
  key,
  session,
  containerJobs,
  storage,
  validateResponses = false,
}: ScriptApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/v1/openapi.json', (_req, res) => {
    res.type('application/json').send(scriptApiDocumentJson());
  });
  app.use(authenticate(key));
  app.use(express.json({ limit: JSON_LIMIT }));
  app.use(scriptApiValidator(validateResponses));

  const scoped = requireScope();
  app.get('/v1/build', scoped, (_req, res) => {
    res.json(session.context);
  });
  app.get('/v1/params', scoped, async (_req, res) => {
    res.json({ values: await session.listParams() });
  });
  app.get('/v1/params/:name', scoped, async (req, res) => {
    res.json(await session.getParam(param(req, 'name')));
  });
  app.post('/v1/masks', scoped, (req, res) => {
    session.addMask((req.body as { value: string }).value);
    res.status(204).end();
  });
  app.post('/v1/jobs/:jobId/run', scoped, async (req, res) => {
    const job = req.body as ContainerJob;
    res.json(await containerJobs.run(param(req, 'jobId'), job, callerGone(res)));
  });
  app.get('/v1/jobs/:jobId/approval', scoped, async (req, res) => {
    const wait =
      req.query.wait === undefined ? DEFAULT_APPROVAL_WAIT_SECONDS : Number(req.query.wait);
    res.json(await session.awaitApproval(param(req, 'jobId'), wait, callerGone(res)));
  });
  app.post('/v1/events', scoped, (req, res) => {
    session.recordEvent(req.body as ScriptEvent);
    res.status(204).end();
  });
  app.post('/v1/jobs/:jobId/logs', scoped, (req, res) => {
    session.appendLogs(param(req, 'jobId'), (req.body as { lines: string[] }).lines);
    res.status(204).end();
  });

  if (storage) {
    app.put('/v1/artifacts/:id', requireScope('putArtifact'), async (req, res) => {
      res.status(201).json(await storage.putArtifact(storageIdOf(req, 'Artifact'), req));
    });
    app.get('/v1/artifacts/:id', requireScope('getArtifact'), async (req, res) => {
      const id = storageIdOf(req, 'Artifact');
      res.type('application/gzip');
      (await storage.getArtifact(id)).pipe(res);
    });
    app.put('/v1/caches/:id', requireScope('putCache'), async (req, res) => {
      const id = storageIdOf(req, 'Cache');
      res.status(201).json(await storage.putCache(id, cacheKeyOf(req), req));
    });
    app.get('/v1/caches/:id', requireScope('getCache'), async (req, res) => {
      const [id, key] = [storageIdOf(req, 'Cache'), cacheKeyOf(req)];
      res.type('application/gzip');
      (await storage.getCache(id, key)).pipe(res);
    });
  }
  app.use(errorHandler);
  return app;
}
