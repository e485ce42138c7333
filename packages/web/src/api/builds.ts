import type { ArtifactList, Build } from '@gibbon/contracts';
import type { BuildAddress } from '../hooks';
import { api, call } from './client';

const where = ({ org, repo, number }: BuildAddress) => ({
  params: { path: { org, repo, number } },
});

export function readBuild(address: BuildAddress): Promise<Build> {
  const { org, repo, number } = address;
  return call(
    `Reading build #${number} of ${org}/${repo}`,
    api.GET('/v1/orgs/{org}/repos/{repo}/builds/{number}', where(address)),
  );
}

export async function listArtifacts(address: BuildAddress): Promise<ArtifactList['items']> {
  const list = await call(
    `Listing the artifacts of build #${address.number}`,
    api.GET('/v1/orgs/{org}/repos/{repo}/builds/{number}/artifacts', where(address)),
  );
  return list.items;
}

export function cancelBuild(address: BuildAddress): Promise<Build> {
  return call(
    `Canceling build #${address.number}`,
    api.POST('/v1/orgs/{org}/repos/{repo}/builds/{number}/cancel', where(address)),
  );
}

/** Approves or rejects a job that waits for approval, with an optional comment. */
export function decideJob(
  address: BuildAddress,
  jobId: string,
  action: 'approve' | 'reject',
  comment: string,
): Promise<Build> {
  const { org, repo, number } = address;
  const init = {
    params: { path: { org, repo, number, jobId } },
    body: comment.trim() === '' ? {} : { comment: comment.trim() },
  };
  return action === 'approve'
    ? call(
        `Approving ${jobId}`,
        api.POST('/v1/orgs/{org}/repos/{repo}/builds/{number}/jobs/{jobId}/approve', init),
      )
    : call(
        `Rejecting ${jobId}`,
        api.POST('/v1/orgs/{org}/repos/{repo}/builds/{number}/jobs/{jobId}/reject', init),
      );
}

/** A new build of the same commit; with `failedOnly`, reusing the jobs that succeeded. */
export function retryBuild(address: BuildAddress, failedOnly = false): Promise<Build> {
  const { org, repo, number } = address;
  return call(
    `Retrying ${failedOnly ? 'the failed jobs of ' : ''}build #${number}`,
    api.POST('/v1/orgs/{org}/repos/{repo}/builds/{number}/retry', {
      params: { path: { org, repo, number }, ...(failedOnly ? { query: { failed: true } } : {}) },
    }),
  );
}

/** When each stored part of a job's log was written (`LogPartTime`: its first byte and time). */
export async function readLogTimes(
  address: BuildAddress,
  jobId: string,
): Promise<{ offset: number; at: string }[]> {
  const { org, repo, number } = address;
  const answer = await call(
    `Reading the times of the log of ${jobId}`,
    api.GET('/v1/orgs/{org}/repos/{repo}/builds/{number}/jobs/{jobId}/logs/times', {
      params: { path: { org, repo, number, jobId } },
    }),
  );
  return answer.items;
}
