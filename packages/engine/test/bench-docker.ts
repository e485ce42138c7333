import type Docker from 'dockerode';
import { dockerClient, ensureTestImage } from '@gibbon/test-kit';

/** The local Docker engine and the test image (built without a registry) for the benchmarks. */
export async function benchDocker(): Promise<{ docker: Docker; image: string }> {
  return { docker: dockerClient(), image: await ensureTestImage() };
}
