/**
 * The main entry of the contracts: error classes and answers, statuses, id patterns, the
 * artifacts' hidden-files warning, the git host allowlist, the web page's URLs, and every API
 * and event type. It is light (no schema library, no file access) and isomorphic: `@gibbon/sdk`
 * is bundled into every build script and imports its values from here, and so is the web page.
 * The heavier parts have entries of their own:
 *
 * - `@gibbon/contracts/documents`: the OpenAPI documents, loaded from this package (node);
 * - `@gibbon/contracts/validation`: requests and answers checked against a document (ajv);
 * - `@gibbon/contracts/events`: the zod schemas the event types are written in;
 * - `@gibbon/contracts/clients`: the generated API clients (openapi-fetch).
 */
export * from './errors';
export * from './error-answers';
export * from './statuses';
export * from './patterns';
export * from './artifacts';
export type * from './events';
export type { OpenApiDocument, OpenApiDocumentName } from './openapi-documents';
export type * from './api-types';
export * from './git-hosts';
export * from './page-paths';
export * from './job-env';
