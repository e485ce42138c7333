/**
 * `@gibbon/engine/locate`: finding a checkout's build file and reading declarative build files,
 * with positions. It loads YAML and nothing else of the engine (no express, no dockerode, no
 * esbuild), so `gibbon verify` and editors' tooling start fast.
 */
export {
  BUILD_FILE_ORDER,
  locateBuildFile,
  type BuildFile,
  type BuildFileKind,
} from './script-host/locate';
export {
  describeProblem,
  MONKEYCI_FIELD_NAMES,
  parseDeclarative,
  sdkFieldName,
  type DeclarativeParse,
  type DeclarativeProblem,
  type DeclaredJob,
  type SourcePosition,
} from './script-host/declarative-parse';
