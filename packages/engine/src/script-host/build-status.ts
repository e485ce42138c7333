import type { BuildStatus } from '@gibbon/contracts';
import type { BuildSession, JobRecord } from '../script-api/build-session';
import type { ScriptProcessResult } from './script-process';

export interface BuildVerdict {
  status: BuildStatus;
  message?: string;
}

const failed = new Set(['failure', 'timed_out']);

function fromJobs(jobs: JobRecord[]): BuildVerdict {
  return jobs.some((job) => failed.has(job.status)) ? { status: 'failure' } : { status: 'success' };
}

/**
 * The build's status once the script process has ended (spec section 2): `error` when a log
 * of the build failed (its output is incomplete, whatever the jobs did); canceled or timed
 * out when the engine stopped it; otherwise the script's own `script.ended` verdict (masked
 * when the session received it); a script that died without one (it threw at load, or was
 * killed) is an `error`.
 */
export function buildVerdict(
  session: BuildSession,
  exit: ScriptProcessResult,
  stoppedBy: 'cancel' | 'timeout' | undefined,
): BuildVerdict {
  const logFailure = session.masker.failure;
  if (logFailure) return { status: 'error', message: logFailure };
  if (stoppedBy === 'timeout') return { status: 'timed_out', message: 'The build timed out.' };
  if (stoppedBy === 'cancel') return { status: 'canceled', message: 'The build was canceled.' };
  const verdict = session.scriptVerdict();
  if (verdict) {
    return verdict.message
      ? { status: verdict.status, message: verdict.message }
      : { status: verdict.status };
  }
  if (exit.exitCode === 0) return fromJobs(session.jobRecords());
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
  return { status: 'error', message: `The build script ${how} before reporting its end.` };
}
