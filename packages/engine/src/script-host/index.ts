export { runBuild, SCRIPT_LOG_ID, type BuildOutcome, type RunBuildOptions } from './run-build';
export { locateBuildFile, BUILD_FILE_ORDER, type BuildFile, type BuildFileKind } from './locate';
export { compileBuildScript, type CompileOptions } from './compile';
export { prepareScript, type PrepareScriptOptions } from './prepare-script';
export {
  runScriptProcess,
  scriptEnvironment,
  type ScriptProcessOptions,
  type ScriptProcessResult,
} from './script-process';
export type { BuildVerdict } from './build-status';
export type { ScriptUser } from './script-user';
