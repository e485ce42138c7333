export { readApiConfig, type ApiConfig, type ApiEndpoint } from './config';
export {
  REQUIRED_OPERATIONS,
  assertOperations,
  missingOperations,
  type Operation,
} from './operations';
export { ScriptApiClient, connectScriptApi, type ScriptApi } from './script-api-client';
export type { ContainerRunAnswer, ContainerRunRequest, ParamsAnswer, ScriptEvent } from './types';
