import { Readable } from 'node:stream';
import type { Io } from '../io';
import { changedFields, repoUpdateOf, type RepoEditValues } from './repo-update';

function ioWith(stdin: Readable & { isTTY?: boolean }): Io {
  return {
    stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: {},
    cwd: '/',
    signal: new AbortController().signal,
  };
}

const piped = (text: string) => ioWith(Readable.from([Buffer.from(text)]));

/** For edits that name no trigger rule: reading the stored rules would be a mistake. */
const noRules = () => Promise.reject(new Error('the stored rules were read'));

describe('repoUpdateOf (the PATCH body of gibbon repos edit)', () => {
  it('sends only the fields an option names, and the clearing options as null or []', async () => {
    const values: RepoEditValues = {
      'main-branch': 'trunk',
      label: ['runs-on=gpu', 'team=a=b'],
      'no-github': true,
      'no-github-token': true,
      'untrusted-network': 'off',
    };
    const update = await repoUpdateOf(values, piped(''), noRules);
    expect(update).toEqual({
      mainBranch: 'trunk',
      labels: [
        { name: 'runs-on', value: 'gpu' },
        { name: 'team', value: 'a=b' },
      ],
      githubRepo: null,
      githubToken: null,
      untrustedNetwork: false,
    });
    expect(changedFields(update)).toBe(
      'main branch, labels, github, github token, untrusted network',
    );
    expect(await repoUpdateOf({ 'no-labels': true }, piped(''), noRules)).toEqual({ labels: [] });
  });

  it('reads the GitHub token from stdin without its line break', async () => {
    const update = await repoUpdateOf(
      { 'github-token-stdin': true },
      piped('ghp_abc\r\n'),
      noRules,
    );
    expect(update).toEqual({ githubToken: 'ghp_abc' });
  });

  it.each<[string, RepoEditValues, string]>([
    ['no field', {}, 'Usage: gibbon repos edit ORG/REPO with at least one of --url'],
    ['both label options', { label: ['a=b'], 'no-labels': true }, '--label and --no-labels'],
    [
      'both token options',
      { 'github-token-stdin': true, 'no-github-token': true },
      '--github-token-stdin and --no-github-token contradict each other',
    ],
    ['a bad switch', { 'untrusted-network': 'yes' }, 'must be on or off, not "yes"'],
    ['a label without =', { label: ['gpu'] }, '--label "gpu": expected NAME=VALUE.'],
  ])('refuses %s', async (_, values, message) => {
    await expect(repoUpdateOf(values, piped(''), noRules)).rejects.toThrow(message);
  });

  it('refuses an empty or multi-line stdin and a terminal, never echoing the secret', async () => {
    const option = { 'github-token-stdin': true };
    await expect(repoUpdateOf(option, piped('\n'), noRules)).rejects.toThrow('stdin was empty');
    const twoLines = repoUpdateOf(option, piped('ghp_one\nghp_two\n'), noRules);
    await expect(twoLines).rejects.toThrow('stdin held more than one line');
    await expect(twoLines).rejects.not.toThrow('ghp_');
    const terminal = Object.assign(Readable.from([]), { isTTY: true });
    await expect(repoUpdateOf(option, ioWith(terminal), noRules)).rejects.toThrow(
      '--github-token-stdin reads a pipe, not a terminal',
    );
  });
});

describe('repoUpdateOf: trigger rules', () => {
  const stored = () =>
    Promise.resolve({
      triggers: { branches: ['main'], paths: ['src/**'], events: ['push' as const] },
      concurrency: {},
    });

  it('changes only the rules an option names, keeping the stored others', async () => {
    const update = await repoUpdateOf(
      { branches: ['main,release/*', 'hotfix/**'], 'paths-ignore': ['docs/**, *.md'] },
      piped(''),
      stored,
    );
    expect(update).toEqual({
      triggers: {
        branches: ['main', 'release/*', 'hotfix/**'],
        paths: ['src/**'],
        events: ['push'],
        pathsIgnore: ['docs/**', '*.md'],
      },
    });
    expect(changedFields(update)).toBe('triggers');
  });

  it('keeps the commas of a {a,b} glob and removes a rule given an empty value', async () => {
    const update = await repoUpdateOf(
      { paths: ['src/{a,b}/**,lib/**'], events: [''] },
      piped(''),
      stored,
    );
    expect(update.triggers).toEqual({ branches: ['main'], paths: ['src/{a,b}/**', 'lib/**'] });
  });

  it('--no-triggers removes every rule without reading them, and contradicts a rule option', async () => {
    expect(await repoUpdateOf({ 'no-triggers': true }, piped(''), noRules)).toEqual({
      triggers: {},
    });
    await expect(
      repoUpdateOf({ 'no-triggers': true, tags: ['v*'] }, piped(''), noRules),
    ).rejects.toThrow('--no-triggers and --tags contradict each other');
  });
});

describe('repoUpdateOf: concurrency', () => {
  const stored = () =>
    Promise.resolve({ triggers: {}, concurrency: { protectedBranches: ['main'] } });

  it('sets the mode and keeps the stored protected branches', async () => {
    const update = await repoUpdateOf({ concurrency: 'cancel-previous' }, piped(''), stored);
    expect(update).toEqual({
      concurrency: { mode: 'cancel-previous', protectedBranches: ['main'] },
    });
    expect(changedFields(update)).toBe('concurrency');
  });

  it('replaces the protected branches, or removes them with an empty value', async () => {
    const replaced = await repoUpdateOf(
      { 'protected-branches': ['main,release/*'] },
      piped(''),
      stored,
    );
    expect(replaced.concurrency).toEqual({ protectedBranches: ['main', 'release/*'] });
    const removed = await repoUpdateOf({ 'protected-branches': [''] }, piped(''), stored);
    expect(removed.concurrency).toEqual({});
  });

  it('refuses an unknown mode, naming the modes', async () => {
    await expect(repoUpdateOf({ concurrency: 'serial' }, piped(''), stored)).rejects.toThrow(
      '--concurrency must be one of parallel, queue, cancel-previous, not "serial".',
    );
  });
});
