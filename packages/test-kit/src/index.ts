export * from './s3-server';
export * from './postgres';
export { dockerClient, isDockerAvailable } from './docker-client';
export { ensureTestImage, testImageRepository } from './docker-image';
