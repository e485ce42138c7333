import { ConflictError, NotAllowedError } from '@gibbon/contracts';
import { assertPlatform, claimLabels, mayRun } from './runs-on';

describe('runs-on labels', () => {
  const gpu = { name: 'runs-on', value: 'gpu' };
  const arm = { name: 'runs-on', value: 'arm64' };
  const team = { name: 'team', value: 'ml' };
  const linux = { name: 'runs-on', value: 'linux' };

  it.each([
    ['no runs-on label: any runner', [team], [], true],
    ['the runner has it', [gpu, team], [gpu], true],
    ['the runner lacks it', [gpu], [team], false],
    ['every runs-on label is needed', [gpu, arm], [gpu], false],
    ['same name, other value', [gpu], [{ name: 'runs-on', value: 'GPU' }], false],
    ['all of them', [gpu, arm], [arm, gpu, team], true],
    ['an arch label meets runs-on', [arm], [{ name: 'arch', value: 'arm64' }], true],
    ['an os label meets runs-on', [linux], [{ name: 'os', value: 'linux' }], true],
    ['another label does not', [arm], [{ name: 'team', value: 'arm64' }], false],
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

describe('the platform of a claim', () => {
  const arm = { name: 'arch', value: 'arm64' };

  it('must agree with the os and arch labels the runner was registered with', () => {
    expect(() => assertPlatform([arm], { os: 'linux', arch: 'arm64' })).not.toThrow();
    expect(() => assertPlatform([], { os: 'darwin', arch: 'x64' })).not.toThrow();
    expect(() => assertPlatform([arm], { os: 'linux', arch: 'x64' })).toThrow(ConflictError);
    expect(() =>
      assertPlatform([{ name: 'os', value: 'linux' }], { os: 'win32', arch: 'x64' }),
    ).toThrow(
      'This runner was registered with the label os=linux but claims from os win32; run it on such a machine, or register a runner for this one.',
    );
  });
});
