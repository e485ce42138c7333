export * from './errors';
export * from './error-answers';
export * from './statuses';
export * from './patterns';
export * from './artifacts';
export * from './events';
export * from './openapi-documents';
export type * from './api-types';
export * from './git-hosts';
