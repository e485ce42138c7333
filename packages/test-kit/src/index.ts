export * from './s3-server';
export * from './s3-fault-proxy';
export * from './postgres';
export { dockerClient, isDockerAvailable } from './docker-client';
export { ensureTestImage, testImageRepository } from './docker-image';
export { ensurePostgresImage, postgresImage } from './postgres-image';
export { buildStandInImage, copyWithLibraries, standInLabel } from './stand-in-image';
export { withFileLock } from './file-lock';
export { unusedPort } from './unused-port';
export type { FileLockOptions } from './file-lock';
export { startGitRemote } from './git-remote';
export { githubStandInProgram } from './github-stand-in';
export type { GitRemote, CreateRepositoryOptions, BasicCredentials } from './git-remote';
export type { TestRepository, CommitOptions, FileChange } from './test-repository';
export type { GitAuthor } from './git-cli';
export { startRecordingServer, failFirst } from './recording-server';
export type {
  RecordingServer,
  RecordingServerOptions,
  CannedResponse,
  RouteHandler,
  RouteContext,
  WaitOptions,
} from './recording-server';
export type { RecordedRequest } from './recorded-request';
export {
  githubDelivery,
  loadWebhookExamples,
  signGithubPayload,
  signGithubPayloadSha1,
} from './github-webhooks';
export type {
  GithubDelivery,
  GithubDeliveryInput,
  WebhookEventName,
  WebhookExample,
} from './github-webhooks';
export { packagesLoadedByRequiring } from './packages-loaded';
