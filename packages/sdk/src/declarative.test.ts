import { testContext } from '../test/context';
import type { BuildContext } from './context';
import { declaredEventOf, declaredJobs } from './declarative';
import type { ContainerJob } from './jobs';

const job = (id: string, spec: Record<string, unknown>) => ({
  id,
  spec: { image: 'alpine:3', script: ['true'], ...spec },
});
const whenOf = async (spec: Record<string, unknown>, ctx: BuildContext) => {
  const [declared] = declaredJobs([job('j', { when: spec })]);
  return declared!.when!(ctx);
};

describe('declaredJobs', () => {
  it('expands a matrix into one job per combination, values in the id, the env and ${{ matrix.x }}', () => {
    const jobs = declaredJobs([
      job('test', {
        matrix: { node: [18, 20], os: ['alpine', 'debian'] },
        image: 'node:${{ matrix.node }}-${{ matrix.os }}',
        script: ['echo node ${{ matrix.node }} on $MATRIX_OS'],
        env: { LEVEL: '3' },
      }),
      job('report', { dependsOn: ['test'] }),
    ]) as ContainerJob[];
    expect(jobs.map((j) => j.id)).toEqual([
      'test-18-alpine',
      'test-18-debian',
      'test-20-alpine',
      'test-20-debian',
      'report',
    ]);
    expect(jobs[1]).toMatchObject({
      image: 'node:18-debian',
      script: ['echo node 18 on $MATRIX_OS'],
      env: { MATRIX_NODE: '18', MATRIX_OS: 'debian', LEVEL: '3' },
    });
    expect(jobs[4]!.dependsOn).toEqual(jobs.slice(0, 4).map((j) => j.id));
  });

  it('refuses a bad matrix and a placeholder that names no matrix value', () => {
    expect(() => declaredJobs([job('t', { matrix: { node: [] } })])).toThrow(
      'job "t": matrix.node must be a non-empty list of strings or numbers',
    );
    expect(() =>
      declaredJobs([job('t', { matrix: { node: [1] }, script: ['${{ matrix.os }}'] })]),
    ).toThrow('job "t": ${{ matrix.os }} names no matrix value');
    expect(() =>
      declaredJobs([
        job('t', { matrix: { a: [1, 2, 3, 4], b: Array.from({ length: 65 }, (_, i) => i) } }),
      ]),
    ).toThrow(/makes more than 256 jobs/);
  });

  it('makes when: { branch, tag, event, changed } a predicate: every condition, any pattern', async () => {
    const main = testContext();
    const feature = testContext({ branch: 'feature/x', ref: 'refs/heads/feature/x' });
    expect(await whenOf({ branch: 'main' }, main)).toBe(true);
    expect(await whenOf({ branch: 'main' }, feature)).toBe(false);
    expect(await whenOf({ branch: ['main', 'feature/*'] }, feature)).toBe(true);
    expect(await whenOf({ changed: ['src/**'] }, main)).toBe(true);
    expect(await whenOf({ changed: 'docs/**' }, main)).toBe(false);
    expect(await whenOf({ branch: 'main', changed: 'docs/**' }, main)).toBe(false);
    const tag = testContext({ branch: null, tag: 'v1.2.0', ref: 'refs/tags/v1.2.0' });
    expect(await whenOf({ tag: 'v*' }, tag)).toBe(true);
    expect(await whenOf({ tag: 'v*' }, main)).toBe(false);
    expect(await whenOf({ event: 'tag' }, tag)).toBe(true);
    expect(await whenOf({ event: ['push', 'manual'] }, main)).toBe(true);
    expect(await whenOf({ event: 'pull_request' }, main)).toBe(false);
  });

  it('names what is wrong in a when', () => {
    expect(() => declaredJobs([job('j', { when: 'main' })])).toThrow(
      'job "j": when must be a mapping of branch, tag, event, changed',
    );
    expect(() => declaredJobs([job('j', { when: { branches: 'main' } })])).toThrow(
      'job "j": when.branches is not a condition; the conditions are branch, tag, event, changed',
    );
    expect(() => declaredJobs([job('j', { when: { event: 'merge' } })])).toThrow(
      'job "j": when.event "merge" is not an event; the events are push, tag, pull_request, manual, schedule',
    );
  });
});

describe('declaredEventOf', () => {
  it('names a pull request, a manual build, a scheduled build and a push', () => {
    const pr = testContext({ ref: 'refs/pull/7/head', branch: 'feature/x' });
    expect(declaredEventOf({ ...pr, build: { ...pr.build, source: 'pull_request' } })).toBe(
      'pull_request',
    );
    const manual = testContext();
    expect(declaredEventOf({ ...manual, build: { ...manual.build, source: 'api' } })).toBe(
      'manual',
    );
    const nightly = testContext({ ref: 'refs/heads/main', branch: 'main' });
    expect(declaredEventOf({ ...nightly, build: { ...nightly.build, source: 'schedule' } })).toBe(
      'schedule',
    );
    expect(declaredEventOf(testContext())).toBe('push');
  });
});

describe('services of a container job', () => {
  it('are checked: a hostname id, no ports to map, a healthcheck with a command', () => {
    const withServices = (services: unknown[]) => () => declaredJobs([job('j', { services })]);
    expect(
      withServices([{ id: 'db', image: 'postgres:16', healthcheck: { command: ['pg_isready'] } }]),
    ).not.toThrow();
    expect(withServices([{ id: 'DB', image: 'x' }])).toThrow('a service id is a hostname');
    expect(withServices([{ id: 'db', image: 'x', ports: [5432] }])).toThrow(
      'service db: no ports to map: the job and its services share one network, so the job reaches db on the port it listens on',
    );
    expect(withServices([{ id: 'db', image: 'x', healthcheck: {} }])).toThrow(
      'service db: healthcheck needs a command',
    );
    expect(
      withServices([
        { id: 'db', image: 'x' },
        { id: 'db', image: 'y' },
      ]),
    ).toThrow('service ids must differ; db is there twice');
  });
});
