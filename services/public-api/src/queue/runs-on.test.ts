import { mayRun } from './runs-on';

describe('runs-on labels', () => {
  const gpu = { name: 'runs-on', value: 'gpu' };
  const arm = { name: 'runs-on', value: 'arm64' };
  const team = { name: 'team', value: 'ml' };

  it.each([
    ['no runs-on label: any runner', [team], [], true],
    ['the runner has it', [gpu, team], [gpu], true],
    ['the runner lacks it', [gpu], [team], false],
    ['every runs-on label is needed', [gpu, arm], [gpu], false],
    ['same name, other value', [gpu], [{ name: 'runs-on', value: 'GPU' }], false],
    ['all of them', [gpu, arm], [arm, gpu, team], true],
  ])('%s', (_case, repoLabels, runnerLabels, expected) => {
    expect(mayRun(repoLabels, runnerLabels)).toBe(expected);
  });
});
