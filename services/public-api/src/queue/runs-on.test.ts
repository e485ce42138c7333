import { NotAllowedError } from '@gibbon/contracts';
import { claimLabels, mayRun } from './runs-on';

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

describe('the labels of a claim', () => {
  const gpu = { name: 'runs-on', value: 'gpu' };
  const os = { name: 'os', value: 'linux' };

  it('are the registered labels when the claim names none', () => {
    expect(claimLabels([gpu, os], undefined)).toEqual([gpu, os]);
  });

  it('may be fewer than the registered labels', () => {
    expect(claimLabels([gpu, os], [os])).toEqual([os]);
  });

  it('may not add a label the runner was not registered with', () => {
    expect(() => claimLabels([os], [os, gpu])).toThrow(NotAllowedError);
    expect(() => claimLabels([os], [gpu])).toThrow(/not registered with the label runs-on=gpu/);
  });
});
