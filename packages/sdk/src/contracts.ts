/**
 * The SDK's one door to @gibbon/contracts for values (types are imported directly). The SDK is
 * bundled into every build script, and the contracts index also carries zod schemas and the
 * YAML document loader, which esbuild cannot drop from a script that the runtime entry
 * `require`s (a 1.1 MB bundle, ~100 ms more start-up). Values therefore come from the light
 * `@gibbon/contracts/core` entry, and the generated client from `@gibbon/contracts/clients`.
 */
export {
  ARTIFACT_ID_PATTERN,
  AuthenticationError,
  ConflictError,
  errorOfAnswer,
  hiddenFilesWarning,
  InputError,
  JOB_ID_PATTERN,
  NotAllowedError,
  NotFoundError,
  PARAM_NAME_PATTERN,
  PayloadTooLargeError,
  UnavailableError,
  UnprocessableError,
} from '@gibbon/contracts/core';
export type { ErrorCode, GibbonError, ParamValue } from '@gibbon/contracts';
// The generated Script API client and the reading of its answers (an entry as light as core).
export {
  answerOf,
  createScriptApiClient,
  type AnswerWording,
  type ScriptApiClient as GeneratedScriptApiClient,
} from '@gibbon/contracts/clients';
