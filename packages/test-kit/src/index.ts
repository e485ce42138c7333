export * from './s3-server';
export * from './postgres';
export { dockerClient, isDockerAvailable } from './docker-client';
export { ensureTestImage, testImageRepository } from './docker-image';
export { startGitRemote } from './git-remote';
export type { GitRemote, CreateRepositoryOptions, BasicCredentials } from './git-remote';
export type { TestRepository, CommitOptions, FileChange } from './test-repository';
export type { GitAuthor } from './git-cli';
