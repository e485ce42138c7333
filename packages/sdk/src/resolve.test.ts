import { UnprocessableError } from '@gibbon/contracts';
import { testContext } from '../test/context';
import type { BuildContext } from './context';
import { action, container, type Job } from './jobs';
import { pipeline } from './pipeline';
import { resolvePipeline } from './resolve';

const ctx: BuildContext = testContext();

const job = (id: string, dependsOn: string[] = []): Job =>
  container(id, { image: 'alpine', script: ['true'], dependsOn });

async function messageOf(definition: unknown): Promise<string> {
  const error = await resolvePipeline(definition, ctx).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnprocessableError);
  return (error as Error).message;
}

describe('resolvePipeline', () => {
  it('accepts a single job, a list with falsy entries and nested lists', async () => {
    expect((await resolvePipeline(job('a'), ctx)).map((j) => j.id)).toEqual(['a']);
    const listed = [job('a'), false, null, undefined, 0, '', [job('b'), false]];
    expect((await resolvePipeline(listed, ctx)).map((j) => j.id)).toEqual(['a', 'b']);
  });

  it('calls a sync or async function of the context (dynamic pipelines)', async () => {
    const sync = pipeline((c) => [job('a'), c.git.branch === c.repo.mainBranch && job('release')]);
    expect((await resolvePipeline(sync, ctx)).map((j) => j.id)).toEqual(['a', 'release']);
    const onBranch = { ...ctx, git: { ...ctx.git, branch: 'feature' } };
    expect((await resolvePipeline(sync, onBranch)).map((j) => j.id)).toEqual(['a']);
    const asynchronous = pipeline(async () => Promise.resolve([job('x')]));
    expect((await resolvePipeline(asynchronous, ctx)).map((j) => j.id)).toEqual(['x']);
  });

  it('lets an error thrown by the user function through unchanged', async () => {
    const boom = new Error('no config file');
    await expect(
      resolvePipeline(() => {
        throw boom;
      }, ctx),
    ).rejects.toBe(boom);
  });

  it('refuses a missing default export and non-job entries', async () => {
    expect(await messageOf(undefined)).toMatch(/no default export/);
    expect(await messageOf([job('a'), 'oops'])).toMatch(
      /a string \("oops"\) where a job is expected/,
    );
    expect(await messageOf([{ id: 'x' }])).toMatch(/an object that is not a job/);
  });

  it('names duplicate ids, unknown dependencies and bad ids in one message', async () => {
    const message = await messageOf([
      job('a'),
      job('a'),
      job('b', ['nope']),
      job('bad id; rm -rf'),
    ]);
    expect(message).toContain('job id "a" is used by 2 jobs');
    expect(message).toContain('job "b" depends on "nope", which is not a job of this build');
    expect(message).toContain('job id "bad id; rm -rf" is not valid');
  });

  it('names the jobs on a cycle in order', async () => {
    const message = await messageOf([job('a', ['b']), job('b', ['c']), job('c', ['a']), job('d')]);
    expect(message).toContain('cycle: a → b → c → a');
    expect(message).not.toContain('d →');
    expect(await messageOf([job('self', ['self'])])).toContain('cycle: self → self');
  });

  it('accepts a diamond (shared dependencies are not cycles)', async () => {
    const jobs = [job('a'), job('b', ['a']), job('c', ['a']), job('d', ['b', 'c'])];
    expect(await resolvePipeline(jobs, ctx)).toHaveLength(4);
  });

  it('accepts ids at the pattern limits and refuses ones beyond', async () => {
    await expect(resolvePipeline(job('a'.repeat(100)), ctx)).resolves.toHaveLength(1);
    expect(await messageOf(job('a'.repeat(101)))).toMatch(/is not valid/);
    expect(await messageOf(job('-a'))).toMatch(/is not valid/);
    expect(await messageOf(job('a\nb'))).toMatch(/is not valid/);
  });
});

describe('job builders', () => {
  it('checks field shapes naming the job and field', () => {
    const untyped = container as (id: string, spec: unknown) => Job;
    expect(() => untyped('build', { script: ['make'] })).toThrow(
      'Job "build": image must be a non-empty string.',
    );
    expect(() => untyped('build', { image: 'alpine', script: ['a'], command: ['b'] })).toThrow(
      /exactly one of script/,
    );
    expect(() =>
      untyped('build', { image: 'alpine', command: ['b'], retries: -1, timeout: 0 }),
    ).toThrow(
      'Job "build": timeout must be a whole number of seconds from 1 to 86400; retries must be a whole number from 0 to 10.',
    );
    expect(() => untyped('build', { image: 'alpine', command: ['b'], timeout: 1.5 })).toThrow(
      /whole number of seconds/,
    );
    expect(() => action('a', () => undefined, { timeout: 0.5, retries: 10 })).not.toThrow();
    expect(() => action('a', () => undefined, { retries: 11 })).toThrow(
      /retries must be a whole number from 0 to 10/,
    );
    expect(() =>
      untyped('build', {
        image: 'alpine',
        command: ['b'],
        caches: [{ id: 'c', path: 'p', key: 'x' }],
      }),
    ).toThrow(/caches\[\]\.key must be an array of strings/);
    const untypedAction = action as (id: string, fn: unknown) => Job;
    expect(() => untypedAction('deploy', 'not a function')).toThrow(/needs a function/);
  });

  it('keeps every field of the spec on the job', () => {
    const built = container('t', {
      image: 'node:20',
      command: ['npm', 'test'],
      env: { CI: '1' },
      workDir: 'app',
      caches: [{ id: 'npm', path: '.npm', key: ['package-lock.json'] }],
      resources: { cpus: 1, memoryMb: 512 },
      network: 'none',
    });
    expect(built).toMatchObject({ kind: 'container', id: 't', workDir: 'app', network: 'none' });
    const fn = () => undefined;
    expect(action('r', fn, { dependsOn: ['t'], retries: 2 })).toEqual({
      kind: 'action',
      id: 'r',
      fn,
      dependsOn: ['t'],
      retries: 2,
    });
  });
});
