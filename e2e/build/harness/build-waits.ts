import type { Build } from '@gibbon/contracts';
import type { Project } from './project';
import { waitUntil } from './waits';

const ended = new Set(['success', 'failure', 'error', 'canceled', 'timed_out']);

export function isEnded(status: string): boolean {
  return ended.has(status);
}

/** Polls the build until it has ended; the timeout error shows the last state. */
export async function waitForEnd(
  project: Project,
  number: number,
  timeoutMs = 60_000,
): Promise<Build> {
  let last: Build | undefined;
  return waitUntil(
    `build ${number} to end`,
    async () => {
      last = await project.build(number);
      return isEnded(last.status) ? last : undefined;
    },
    { timeoutMs, intervalMs: 200, describe: () => `last state: ${JSON.stringify(last)}` },
  );
}

/** Polls a job's log until it contains `line`; fails at once if the build ends first. */
export async function waitForLogLine(
  project: Project,
  number: number,
  jobId: string,
  line: string,
  timeoutMs = 60_000,
): Promise<string> {
  let last = '';
  return waitUntil(
    `"${line}" in the log of ${jobId} of build ${number}`,
    async () => {
      last = await project.jobLog(number, jobId).catch(() => '');
      if (last.split('\n').includes(line)) return last;
      const build = await project.build(number);
      if (isEnded(build.status)) {
        throw new Error(
          `build ${number} ended before "${line}" appeared: ${JSON.stringify(build)}\nlog: ${last}`,
        );
      }
      return undefined;
    },
    { timeoutMs, intervalMs: 200, describe: () => `log so far:\n${last}` },
  );
}

/**
 * Reads a `?follow=true` log to its end. `openedWhileRunning` says the job had not ended just
 * before the stream was opened, so what came through it was streamed, not read back.
 */
export async function followLog(
  project: Project,
  number: number,
  jobId: string,
): Promise<{ text: string; openedWhileRunning: boolean }> {
  const job = (await project.build(number)).jobs.find((candidate) => candidate.id === jobId);
  const openedWhileRunning = job !== undefined && !isEnded(job.status);
  const response = await project.api.fetch(
    `${project.repoPath}/builds/${number}/jobs/${jobId}/logs?follow=true`,
  );
  if (response.status !== 200) throw new Error(`follow answered ${response.status}`);
  return { text: await response.text(), openedWhileRunning };
}
