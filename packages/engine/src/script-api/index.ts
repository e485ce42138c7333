export {
  openScriptApi,
  preloadScriptApi,
  type OpenScriptApi,
  type OpenScriptApiOptions,
} from './open-script-api';
export { StaticParamProvider, type ParamProvider, type ParamValue } from './params';
export type { BuildSession, JobRecord, ScriptEventListener } from './build-session';
export type { JobFiles } from './job-files';
export type { ScriptApiListen } from './server';
export { ScriptTokenKey, type ScriptTokenClaims } from './token';
