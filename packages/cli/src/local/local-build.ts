import { homedir } from 'node:os';
import { join } from 'node:path';
import type { BuildContext } from '@gibbon/contracts';
import { InputError } from '@gibbon/contracts';
import {
  DockerBackend,
  Masker,
  defaultContainerConfig,
  reapContainers,
  runBuild,
  type BuildOutcome,
  type JobNetwork,
  type ScriptSandbox,
} from '@gibbon/engine';
import { StaticParamProvider, type ApprovalSource } from '@gibbon/engine/script-api';
import { LocalDiskBlobStore } from '@gibbon/storage';
import { localDocker } from './docker';
import type { RunReporter } from './reporters';
import { letBoxUserPass } from './sandbox';
import type { Workspace } from './workspace';

/** Loaded with the engine, which `gibbon run` imports only once a build runs. */
export { localSandbox } from './sandbox';

export interface LocalBuildOptions {
  workspace: Workspace;
  context: BuildContext;
  params: Record<string, string>;
  reporter: RunReporter;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** `--sandbox`: the script runs in the server's box; without, as a plain child process. */
  sandbox?: ScriptSandbox;
  /** Jobs marked approval that `--approve` lets run (`all`: `--approve-all`); others are rejected. */
  approve: readonly string[] | 'all';
}

/** `gibbon run`'s decisions: made at once from its flags, since no one else can make them here. */
export function flagApprovals(approve: readonly string[] | 'all'): ApprovalSource {
  return {
    wait: (jobId) => {
      const at = new Date().toISOString();
      if (approve === 'all' || approve.includes(jobId)) {
        return Promise.resolve({ decision: 'approved', by: 'gibbon run --approve', at });
      }
      return Promise.resolve({
        decision: 'rejected',
        by: 'gibbon run',
        at,
        comment: `run with --approve ${jobId} (or --approve-all) to approve it`,
      });
    },
  };
}

const networks = ['bridge', 'host', 'none'] as const satisfies readonly JobNetwork[];

/** `GIBBON_JOB_NETWORK` (spec section 9), `bridge` by default. */
export function jobNetworkOf(env: NodeJS.ProcessEnv): JobNetwork {
  const value = env.GIBBON_JOB_NETWORK ?? 'bridge';
  const network = networks.find((name) => name === value);
  if (!network) {
    throw new InputError(`GIBBON_JOB_NETWORK must be bridge, host or none, not ${value}.`);
  }
  return network;
}

/** Compiled scripts are kept between runs, by content hash, so a second run starts at once. */
function compileCacheDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'gibbon', 'compile');
}

/**
 * Runs one build of the workspace's checkout with the engine the runner uses, on the local
 * Docker engine. Every container of the run carries a runner label unique to this process,
 * and whatever is left with that label once the build has ended (a Ctrl-C that raced a
 * container start) is removed before this resolves.
 */
export async function runLocalBuild(options: LocalBuildOptions): Promise<BuildOutcome> {
  const { workspace, env, reporter } = options;
  const network = jobNetworkOf(env);
  const runnerId = `gibbon-cli-${process.pid}-${Date.now().toString(36)}`;
  const docker = await localDocker(env);
  const masker = new Masker();
  // A value given on the command line is a secret from the start, fetched or not.
  for (const value of Object.values(options.params)) masker.register(value);
  if (options.sandbox?.uids) await letBoxUserPass(workspace.root);
  const store = new LocalDiskBlobStore({ root: workspace.storeDir });
  await store.open();
  try {
    return await runBuild({
      checkoutDir: workspace.checkoutDir,
      context: options.context,
      params: new StaticParamProvider(options.params),
      backend: new DockerBackend(docker, {
        ...defaultContainerConfig,
        runnerId,
        network,
        stopGraceSeconds: 2,
      }),
      network,
      logSink: { write: (entry) => reporter.log(entry) },
      onEvent: (event) => reporter.event(event),
      approvals: flagApprovals(options.approve),
      workDir: workspace.engineDir,
      compileCacheDir: compileCacheDir(env),
      signal: options.signal,
      store,
      masker,
      scriptGraceMs: 5_000,
      stopGraceSeconds: 2,
      ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    });
  } finally {
    await store.close();
    await reapContainers(docker, { runner: runnerId }).catch(() => []);
  }
}
