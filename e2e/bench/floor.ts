import * as fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { dockerClient } from '@gibbon/test-kit';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';

export interface FloorTarget {
  readonly url: string;
  readonly branch: string;
  readonly auth: { readonly username: string; readonly password: string };
  readonly image: string;
  /** Where the clones go (each removed after its run). */
  readonly root: string;
}

const docker = dockerClient();

/**
 * The least any CI system must do for the benchmark's build, by hand: an isomorphic-git
 * clone of the same private repository (single branch, depth 1) and one dockerode container
 * running `true` (created, started, waited for, removed). Returns milliseconds.
 */
export async function floorRun(target: FloorTarget): Promise<number> {
  const started = performance.now();
  const dir = await mkdtemp(join(target.root, 'floor-'));
  await git.clone({
    fs,
    http,
    dir,
    url: target.url,
    ref: target.branch,
    singleBranch: true,
    depth: 1,
    onAuth: () => ({ username: target.auth.username, password: target.auth.password }),
  });
  const container = await docker.createContainer({
    Image: target.image,
    Cmd: ['true'],
    HostConfig: { NetworkMode: 'none' },
  });
  await container.start();
  await container.wait();
  await container.remove({ force: true });
  const elapsed = performance.now() - started;
  await rm(dir, { recursive: true, force: true });
  return elapsed;
}
