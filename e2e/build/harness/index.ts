export * from './api-client';
export * from './build-waits';
export * from './waits';
