import { container } from './jobs';
import { selectJobs, selectedJobIds } from './select';
import { testContext } from '../test/context';

const image = 'busybox';
const jobs = [
  container('install', { image, script: ['true'] }),
  container('lint', { image, script: ['true'], dependsOn: ['install'] }),
  container('test', { image, script: ['true'], dependsOn: ['install'] }),
  container('package', { image, script: ['true'], dependsOn: ['test'] }),
];

describe('selectJobs', () => {
  it('keeps the named job and its transitive dependencies, in script order', () => {
    expect(selectJobs(jobs, ['package']).map((job) => job.id)).toEqual([
      'install',
      'test',
      'package',
    ]);
  });

  it('names unknown ids and the jobs that exist', () => {
    expect(() => selectJobs(jobs, ['deploy'])).toThrow(
      'No job "deploy" in this build; its jobs are: install, lint, test, package.',
    );
  });

  it('reads the selection from the context env', () => {
    const ctx = testContext();
    expect(selectedJobIds({ ...ctx, env: { GIBBON_ONLY_JOBS: 'lint, test' } })).toEqual([
      'lint',
      'test',
    ]);
    expect(selectedJobIds({ ...ctx, env: {} })).toBeUndefined();
  });
});
