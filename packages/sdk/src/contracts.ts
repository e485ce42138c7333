/**
 * The SDK's one door to @gibbon/contracts for values (types are imported directly). The SDK is
 * bundled into every build script, so it takes values only from the contracts' light main
 * entry (no zod, no document loader, no file access) and the generated client from
 * `@gibbon/contracts/clients`: the bundle stays small and a script starts fast.
 */
export {
  ARTIFACT_ID_PATTERN,
  AuthenticationError,
  ConflictError,
  errorOfAnswer,
  hiddenFilesWarning,
  InputError,
  INPUT_NAME_PATTERN,
  INPUT_VALUE_MAX_LENGTH,
  JOB_ID_PATTERN,
  JOB_OUTPUT_NAME_PATTERN,
  jobTimedOutMessage,
  MAX_BUILD_INPUTS,
  NotAllowedError,
  NotFoundError,
  PARAM_NAME_PATTERN,
  PayloadTooLargeError,
  jobEnvOf,
  UnavailableError,
  UnprocessableError,
} from '@gibbon/contracts';
export type { ErrorCode, GibbonError, ParamValue } from '@gibbon/contracts';
// The generated Script API client and the reading of its answers (an entry as light as the main one).
export {
  answerOf,
  createScriptApiClient,
  type AnswerWording,
  type ScriptApiClient as GeneratedScriptApiClient,
} from '@gibbon/contracts/clients';
