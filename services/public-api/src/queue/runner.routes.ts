import type * as Api from '@gibbon/contracts';
import { InputError, NotAllowedError } from '@gibbon/contracts';
import { Router, type Request, type Response } from 'express';
import type { Services } from '../services';
import { buildJson } from '../builds';
import { assertOwnBuild, assertTokenLease } from './lease-fence';
import { claimLabels } from './runs-on';
import { principalOf } from '../http/auth.middleware';
import { bodyOf, pathParam } from '../http/mappers';

const maxWaitSeconds = 30;

function leaseOf(req: Request): string {
  const lease = req.get('x-gibbon-lease');
  if (lease === undefined) throw new InputError('Send the lease id in the X-Gibbon-Lease header.');
  return lease;
}

/** The build id of a runner call, checked against the build token's subject and lease. */
function ownBuild(req: Request, res: Response): string {
  const buildId = pathParam(req, 'buildId');
  const principal = principalOf(res);
  assertOwnBuild(principal, buildId);
  assertTokenLease(principal, req.get('x-gibbon-lease'));
  return buildId;
}

/** The runner API (runner-api.yaml), under `/v1/runner/`. */
export function runnerApiRoutes(services: Services): Router {
  const router = Router();
  const { claims, runnerReports, logChunks } = services;

  router.post('/v1/runner/claim', async (req, res) => {
    const principal = principalOf(res);
    if (principal.kind !== 'runner')
      throw new NotAllowedError('Only a runner token may claim builds.');
    const waitSeconds = Math.min(Number(req.query.wait ?? maxWaitSeconds), maxWaitSeconds);
    const hangUp = new AbortController();
    res.on('close', () => hangUp.abort());
    const request = bodyOf<Api.ClaimRequest | undefined>(req);
    if (request?.capacity !== undefined) {
      await services.metrics.reportSlots(principal.runnerId, request.capacity);
    }
    const registered =
      (await services.runners.list()).find((r) => r.id === principal.runnerId)?.labels ?? [];
    if (request?.platform) {
      await services.runners.reportPlatform(principal.runnerId, registered, request.platform);
    }
    const labels = claimLabels(registered, request?.labels);
    const runner = { id: principal.runnerId, labels };
    const claim = await claims.claim(runner, waitSeconds * 1000, hangUp.signal);
    if (hangUp.signal.aborted) {
      if (claim) await claims.release(claim.build.id, claim.lease.id);
      return;
    }
    if (!claim) {
      res.status(204).end();
      return;
    }
    res.json(claim satisfies Api.Claim);
  });

  const build = '/v1/runner/builds/:buildId';
  router.post(`${build}/heartbeat`, async (req, res) => {
    res.json(await runnerReports.heartbeat(ownBuild(req, res), leaseOf(req)));
  });
  router.post(`${build}/events`, async (req, res) => {
    await runnerReports.recordEvent(ownBuild(req, res), leaseOf(req), bodyOf<Api.RunnerEvent>(req));
    res.status(204).end();
  });
  router.put(`${build}/jobs/:jobId/logs/:seq`, async (req, res) => {
    const body: unknown = req.body;
    if (typeof body !== 'string') throw new InputError('A log chunk is a text/plain body.');
    const nextSeq = await logChunks.put(
      ownBuild(req, res),
      leaseOf(req),
      pathParam(req, 'jobId'),
      Number(pathParam(req, 'seq')),
      body,
    );
    res.json({ nextSeq } satisfies Api.LogChunkAccepted);
  });
  router.get(`${build}/params`, async (req, res) => {
    const values = await runnerReports.paramsOf(ownBuild(req, res), leaseOf(req));
    res.json({ values } satisfies Api.ParamValueList);
  });
  router.post(`${build}/result`, async (req, res) => {
    const finished = await runnerReports.result(
      ownBuild(req, res),
      leaseOf(req),
      bodyOf<Api.BuildResult>(req),
    );
    res.json(buildJson(finished));
  });
  return router;
}
