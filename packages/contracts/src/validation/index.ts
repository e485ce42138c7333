/**
 * `@gibbon/contracts/validation`: requests and answers checked against an OpenAPI document,
 * for the servers (public-api and the Script API). Node-only, and it brings ajv: clients and
 * build scripts never import it.
 */
export { validateRequests, operationOf, type ValidationOptions } from './middleware';
export {
  OpenApiRequestValidator,
  RequestValidationError,
  type RequestFacts,
} from './request-validator';
export {
  documentedOperations,
  byTemplate,
  type DocumentedOperation,
  type DocumentedParameter,
} from './document-operations';
export { OperationPaths, MalformedPathError, type PathMatch } from './operation-paths';
export type { FieldError } from './field-messages';
