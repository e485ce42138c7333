/**
 * `@gibbon/engine/locate`: finding a checkout's build file. It loads nothing else of the engine
 * (no YAML, no express, no dockerode, no esbuild), so `gibbon verify` and editors' tooling start
 * fast. Declarative build files are read through `@gibbon/engine/declarative`.
 */
export {
  BUILD_FILE_ORDER,
  locateBuildFile,
  type BuildFile,
  type BuildFileKind,
} from './script-host/locate';
