import { pipeline } from 'node:stream/promises';
import type * as Api from '@gibbon/contracts';
import { NotFoundError, SCRIPT_LOG_ID } from '@gibbon/contracts';
import { Router } from 'express';
import type { Services } from '../services';
import { pathParam } from '../http/mappers';
import { sendStream } from '../http/send-stream';
import { buildNumberOf } from '../builds';
import { FollowCutShortError } from './log-offset';

/** Whether the build has a log of that id: the build script's own (`_script`) or a declared job's. */
function hasLog(
  build: { readonly jobs: readonly { readonly id: string }[] },
  jobId: string,
): boolean {
  return jobId === SCRIPT_LOG_ID || build.jobs.some((job) => job.id === jobId);
}

/**
 * A job's log (text, or followed until the job ends), the build script's own log under
 * `_script` (every build has one, possibly empty), and a build's artifacts. Logs are streamed
 * from storage a chunk at a time, as fast as the client reads (`LogReader`), from the byte
 * `offset` on (the validator made it an integer ≥ 0).
 */
export function buildOutputRoutes(services: Services): Router {
  const router = Router();
  const { builds, logReader, artifacts, tombstones } = services;
  const base = '/v1/orgs/:org/repos/:repo/builds/:number';
  const buildOf = (req: Parameters<typeof pathParam>[0]) =>
    builds.get(pathParam(req, 'org'), pathParam(req, 'repo'), buildNumberOf(req));

  router.get(`${base}/jobs/:jobId/logs`, async (req, res) => {
    const build = await buildOf(req);
    const jobId = pathParam(req, 'jobId');
    const follow = (req.query.follow as unknown) === true || req.query.follow === 'true';
    const offset = Number(req.query.offset ?? 0);
    if (!hasLog(build, jobId) && (!follow || build.finishedAt !== null)) {
      throw new NotFoundError(`Build #${build.number} has no job "${jobId}".`);
    }
    await tombstones.assertLogKept(build, jobId);
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.setHeader('x-content-type-options', 'nosniff');
    const hangUp = new AbortController();
    res.on('close', () => hangUp.abort());
    if (!follow) {
      await sendStream(res, logReader.read(build, jobId, hangUp.signal, offset));
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.flushHeaders();
    try {
      await sendStream(res, logReader.follow(build, jobId, hangUp.signal, offset));
    } catch (error) {
      if (!(error instanceof FollowCutShortError)) throw error;
      // Expected at every stop: the cut connection is the answer, not a failure to log.
      res.destroy();
    }
  });

  router.get(`${base}/jobs/:jobId/logs/times`, async (req, res) => {
    const build = await buildOf(req);
    const jobId = pathParam(req, 'jobId');
    if (!hasLog(build, jobId)) {
      throw new NotFoundError(`Build #${build.number} has no job "${jobId}".`);
    }
    await tombstones.assertLogKept(build, jobId);
    res.json({ items: await logReader.times(build, jobId) } satisfies Api.LogTimes);
  });

  router.get(`${base}/artifacts`, async (req, res) => {
    const items = await artifacts.list(await buildOf(req));
    res.json({ items } satisfies Api.ArtifactList);
  });

  router.get(`${base}/artifacts/:artifactId`, async (req, res) => {
    const build = await buildOf(req);
    const artifactId = pathParam(req, 'artifactId');
    await tombstones.assertArtifactsKept(build, artifactId);
    const stream = await artifacts.open(build, artifactId);
    res.setHeader('content-type', 'application/gzip');
    await pipeline(stream, res);
  });
  return router;
}
