import { action, container } from '@gibbon/sdk';
import { renderTree } from './tree';

describe('renderTree', () => {
  it('nests jobs under their first dependency and names the others', () => {
    const image = 'node:20';
    const jobs = [
      container('install', { image, script: ['npm ci'] }),
      container('lint', { image, script: ['npm run lint'], dependsOn: ['install'] }),
      container('test', { image, script: ['npm test'], dependsOn: ['install'] }),
      action('release', () => undefined, { dependsOn: ['test', 'lint'] }),
      container('docs', { image, script: ['make docs'] }),
    ].map((job) => ({ job, runs: job.id !== 'docs' }));
    expect(renderTree(jobs)).toEqual([
      'install  container node:20',
      '├── lint  container node:20',
      '└── test  container node:20',
      '    └── release  action  (also needs lint)',
      'docs  container node:20  [skipped: when() is false for this context]',
    ]);
  });
});
