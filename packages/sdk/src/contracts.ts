/**
 * The SDK's one door to @gibbon/contracts for values (types are imported directly). The SDK is
 * bundled into every build script, and the contracts index also carries zod schemas and the
 * YAML document loader, which esbuild cannot drop from a script that the runtime entry
 * `require`s (a 1.1 MB bundle, ~100 ms more start-up). Values therefore come from the light
 * `@gibbon/contracts/core` entry.
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
