/**
 * Bodies of the Script API operations (spec section 3) as the SDK sends and reads them.
 * Written from the spec's table while the OpenAPI document in @gibbon/contracts is on its way;
 * when it lands these become aliases of the generated types.
 */
import type { ArtifactRef, CacheSpec, Resources } from '../jobs';
import type { ExecutedBuildStatus, FinalJobStatus } from '../executor/types';

/** `POST /v1/jobs/{jobId}/run`: the container job's fields (functions and `kind` left out). */
export interface ContainerRunRequest {
  readonly image: string;
  readonly script?: readonly string[];
  readonly command?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly workDir?: string;
  readonly saveArtifacts?: readonly ArtifactRef[];
  readonly restoreArtifacts?: readonly ArtifactRef[];
  readonly caches?: readonly CacheSpec[];
  /** Seconds; the runner enforces it too, so a container never outlives it. */
  readonly timeout?: number;
  readonly resources?: Resources;
  readonly network?: 'none';
  /** 1 for the first run, 2 for the first retry, … */
  readonly attempt: number;
}

export interface ContainerRunAnswer {
  readonly status: 'success' | 'failure' | 'error' | 'canceled' | 'timed_out';
  readonly exitCode?: number;
  readonly message?: string;
  readonly startedAt?: string;
  readonly endedAt?: string;
}

/** `POST /v1/events`: one lifecycle event of the script or a job. */
export type ScriptEvent =
  | {
      readonly type: 'job.pending';
      readonly jobId: string;
      readonly kind: 'container' | 'action';
      readonly dependsOn: readonly string[];
    }
  | { readonly type: 'job.queued'; readonly jobId: string }
  | {
      readonly type: 'job.started';
      readonly jobId: string;
      readonly attempt: number;
      readonly startedAt: string;
    }
  | {
      readonly type: 'job.ended';
      readonly jobId: string;
      readonly status: FinalJobStatus;
      readonly exitCode?: number;
      readonly message?: string;
      readonly attempts: number;
      readonly startedAt?: string;
      readonly endedAt: string;
    }
  | {
      readonly type: 'script.ended';
      readonly status: ExecutedBuildStatus | 'error';
      readonly message?: string;
    };

/** `GET /v1/params`: every parameter visible to the build. */
export interface ParamsAnswer {
  readonly params: readonly { readonly name: string; readonly value: string }[];
}

/** `GET /v1/params/{name}`. */
export interface ParamAnswer {
  readonly name: string;
  readonly value: string;
}
