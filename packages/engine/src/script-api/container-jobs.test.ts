import type { ContainerJob } from '@gibbon/contracts';
import { testBuildContext } from '../../test/build-context';
import type { ContainerBackend, ContainerHandle } from '../containers/backend';
import type { ContainerJobSpec, JobNetwork } from '../containers/types';
import { MemoryLogSink } from '../logs/log-sink';
import { Masker } from '../masking/masker';
import { BuildSession } from './build-session';
import { ContainerJobService } from './container-jobs';
import { StaticParamProvider } from './params';

/** A backend whose containers exit 0 at once; it keeps the spec of every container created. */
class RecordingBackend implements ContainerBackend {
  readonly created: ContainerJobSpec[] = [];

  create(spec: ContainerJobSpec): Promise<ContainerHandle> {
    this.created.push(spec);
    return Promise.resolve({ id: `container-${this.created.length}` });
  }

  start(): Promise<{ outputDone: Promise<void> }> {
    return Promise.resolve({ outputDone: Promise.resolve() });
  }

  wait(): Promise<number> {
    return Promise.resolve(0);
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  remove(): Promise<void> {
    return Promise.resolve();
  }
}

function service(network: JobNetwork, backend: ContainerBackend): ContainerJobService {
  const session = new BuildSession({
    context: testBuildContext({ trusted: network !== 'none' }),
    masker: new Masker(),
    params: new StaticParamProvider({}),
    logSink: new MemoryLogSink(),
  });
  return new ContainerJobService({
    session,
    backend,
    checkoutDir: '/tmp/checkout',
    network,
    stopGraceSeconds: 1,
    signal: new AbortController().signal,
  });
}

const job: ContainerJob = { id: 'probe', image: 'busybox', command: ['true'] };

// The backend is the runner's, created with the runner's network (GIBBON_JOB_NETWORK); a build
// whose jobs get none (an untrusted one: run-build.ts) must carry that on every job it runs.
describe('ContainerJobService networks', () => {
  it("runs every job of a build without network when the build's network is none", async () => {
    const backend = new RecordingBackend();
    const jobs = service('none', backend);
    const answer = await jobs.run('probe', job, new AbortController().signal);
    expect(answer.status).toBe('success');
    expect(backend.created.map((spec) => spec.network)).toEqual(['none']);
  });

  it("leaves the runner's network to a job of a build that has it, unless the job asks for none", async () => {
    const backend = new RecordingBackend();
    const jobs = service('bridge', backend);
    await jobs.run('probe', job, new AbortController().signal);
    await jobs.run('quiet', { ...job, id: 'quiet', network: 'none' }, new AbortController().signal);
    expect(backend.created.map((spec) => spec.network)).toEqual([undefined, 'none']);
  });

  it('refuses a job that asks for more network than its build has', async () => {
    const jobs = service('none', new RecordingBackend());
    await expect(
      jobs.run('probe', { ...job, network: 'bridge' }, new AbortController().signal),
    ).rejects.toThrow('a job may only narrow');
  });
});
