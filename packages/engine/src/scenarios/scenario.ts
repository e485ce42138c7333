import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildStatus, JobStatus } from '@gibbon/contracts';
import type { Decision } from '../script-api/approvals';

/**
 * What a scenario folder expects (`expected.json` beside its `.gibbon/`): the build status,
 * each job's status, lines that must appear in a job's log, strings that must appear in no
 * log, and what the harness does (parameters, trust, a cancel, a timeout, a second build).
 */
export interface ScenarioExpectation {
  status: BuildStatus;
  jobs: Record<string, JobStatus>;
  /** Per job id (or `_script`): lines that must be in its log, in this order. */
  logs?: Record<string, string[]>;
  /** Substrings no stored log line may contain (masked secrets). */
  absent?: string[];
  /** Parameters the build can fetch. */
  params?: Record<string, string>;
  trusted?: boolean;
  /** Per run (with `runs`), whether that build is trusted; overrides `trusted`. */
  trustedRuns?: boolean[];
  /** Per run (with `runs`), the branch built (default `main`, the repository's main branch). */
  branchRuns?: string[];
  /** Cancel the build when a log line equal to this appears. */
  cancelOnLine?: string;
  timeoutSeconds?: number;
  /** Run the same checkout this many times (caches); expectations are of the last run. */
  runs?: number;
  /** The scenario checks what only a root runner does (a uid per build); left out elsewhere. */
  needsRoot?: boolean;
  /** Run the script outside the box, as `gibbon run` does by default. */
  unsandboxed?: boolean;
  /**
   * Per job marked `approval`: the decision a person makes, given 300 ms after the job
   * reported `job.waiting` (as a runner learns it from public-api). Others wait forever.
   */
  approvals?: Record<string, Decision>;
}

export async function readExpectation(folder: string): Promise<ScenarioExpectation> {
  return JSON.parse(await readFile(join(folder, 'expected.json'), 'utf8')) as ScenarioExpectation;
}
