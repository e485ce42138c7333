/**
 * Bodies of the Script API operations the SDK uses, as generated from the Script API's OpenAPI
 * document in @gibbon/contracts (events come from its zod schemas, which the document mirrors).
 */
import type {
  ContainerJob as ContainerJobBody,
  JobRunResult,
  ParamValueList,
  ScriptEvent as ScriptEventBody,
} from '@gibbon/contracts';

/** `POST /v1/jobs/{jobId}/run`: the container job's fields (functions and `kind` left out). */
export type ContainerRunRequest = ContainerJobBody;
/** The answer of `POST /v1/jobs/{jobId}/run` once the job has ended. */
export type ContainerRunAnswer = JobRunResult;
/** `POST /v1/events`: one lifecycle event of a job, or the end of the script. */
export type ScriptEvent = ScriptEventBody;
/** `GET /v1/params`. */
export type ParamsAnswer = ParamValueList;
