/**
 * The SDK's one door to @gibbon/contracts for values (types are imported directly). The SDK is
 * bundled into every build script, and the contracts index also carries zod schemas and the
 * YAML document loader: esbuild cannot drop them from a script that is `require`d by the
 * runtime entry, which makes the bundle ~1.1 MB and script start ~100 ms slower. Keeping the
 * value imports here means switching to a lighter contracts entry is a one-line change.
 */
export {
  ARTIFACT_ID_PATTERN,
  AuthenticationError,
  ConflictError,
  InputError,
  JOB_ID_PATTERN,
  NotAllowedError,
  NotFoundError,
  PARAM_NAME_PATTERN,
  PayloadTooLargeError,
  UnprocessableError,
} from '@gibbon/contracts';
export type { ErrorCode, GibbonError, ParamValue } from '@gibbon/contracts';
