/**
 * `@gibbon/engine/script-api`: the Script API a build script talks to (spec section 3), served
 * per build by `runBuild`. Callers of its own: a runner preloading it at start, and whoever gives a
 * build its parameters (`ParamProvider`). Its express app and validator load on first use.
 */
export {
  openScriptApi,
  preloadScriptApi,
  type OpenScriptApi,
  type OpenScriptApiOptions,
} from './open-script-api';
export { StaticParamProvider, type ParamProvider, type ParamValue } from './params';
export type { BuildSession, JobRecord, ScriptEventListener } from './build-session';
export type { JobFiles } from './job-files';
export { ApprovalBoard, type ApprovalSource, type Decision } from './approvals';
export type { ScriptApiListen } from './server';
export { ScriptTokenKey, type ScriptTokenClaims } from './token';
