import type { Org, ParamSet, Repo } from '@gibbon/contracts';
import { cliAgainstApi } from './cli-against-api';

// `orgs show`, `repos show`/`edit` and `params show`/`update`: the read-one and change
// operations of the public API, run as a user runs them against a real public-api.
describe('show and edit commands against a real public-api', () => {
  const session = cliAgainstApi('gibbon-cli-show-edit-');
  const { gibbon, repoJson } = session;
  const params = (...args: string[]) => gibbon(['params', ...args, '--org', 'globex']);
  const paramSetJson = async (id: string): Promise<ParamSet> => {
    const shown = await params('show', id, '--json');
    expect(shown).toMatchObject({ code: 0, stderr: '' });
    return JSON.parse(shown.stdout) as ParamSet;
  };

  beforeAll(async () => {
    const repo = { name: 'web', url: 'https://git.example.test/globex/web.git' };
    expect((await session.api.call('POST', '/v1/orgs/globex/repos', repo)).status).toBe(201);
  });

  it('gibbon orgs show prints one organisation, --json its API object, and a missing one exits 2', async () => {
    const shown = await gibbon(['orgs', 'show', 'globex']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(
      /^Organisation globex\n {2}name: {5}Globex\n {2}created: {2}\d{4}-\S+\n$/,
    );
    const json = JSON.parse((await gibbon(['orgs', 'show', 'globex', '--json'])).stdout) as Org;
    expect(json).toMatchObject({ slug: 'globex', name: 'Globex' });
    const missing = await gibbon(['orgs', 'show', 'initech']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^gibbon orgs: Reading organisation initech: .+\(404 not_found\)$/m,
    );
  }, 60_000);

  it('gibbon repos show prints a repository, --json its API object, and a missing one exits 2', async () => {
    const shown = await gibbon(['repos', 'show', 'globex/web']);
    expect(shown.code).toBe(0);
    expect(shown.stdout.split('\n').slice(0, 8)).toEqual([
      'Repository globex/web',
      '  url:                https://git.example.test/globex/web.git',
      '  main branch:        main',
      '  labels:             none',
      '  github:             none (no commit statuses)',
      '  github token:       none',
      '  untrusted network:  off (fork pull requests build without a network)',
      '  triggers:           none (every push, tag and pull request builds)',
    ]);
    expect(await repoJson('globex/web')).toMatchObject({
      org: 'globex',
      name: 'web',
      mainBranch: 'main',
      hasGithubToken: false,
    });
    const missing = await gibbon(['repos', 'show', 'globex/nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^gibbon repos: Reading repository globex\/nope: No repository "nope" in the organisation "globex"\. \(404 not_found\)$/m,
    );
  }, 60_000);

  it('gibbon repos edit changes only the fields it names; with none it says which options exist', async () => {
    const none = await gibbon(['repos', 'edit', 'globex/web']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(
      /^gibbon repos: Usage: gibbon repos edit ORG\/REPO with at least one of --url, --main-branch, --label/m,
    );
    expect(none.stderr).toContain('--github-token-stdin');

    const edited = await gibbon([
      'repos',
      'edit',
      'globex/web',
      '--main-branch',
      'trunk',
      '--label',
      'team=web',
      '--label',
      'runs-on=gpu',
      '--github',
      'globex/web',
      '--untrusted-network',
      'on',
    ]);
    expect(edited).toMatchObject({ code: 0, stderr: '' });
    expect(edited.stdout).toMatch(
      /^Changed repository globex\/web \(main branch, labels, github, untrusted network\)\.$/m,
    );
    expect(edited.stdout).toMatch(/^ {2}labels: +team=web, runs-on=gpu$/m);
    expect(await repoJson('globex/web')).toMatchObject({
      url: 'https://git.example.test/globex/web.git',
      mainBranch: 'trunk',
      labels: [
        { name: 'team', value: 'web' },
        { name: 'runs-on', value: 'gpu' },
      ],
      githubRepo: 'globex/web',
      untrustedNetwork: true,
    });

    const cleared = await gibbon([
      'repos',
      'edit',
      'globex/web',
      '--no-labels',
      '--no-github',
      '--json',
    ]);
    expect(cleared.code).toBe(0);
    expect(JSON.parse(cleared.stdout) as Repo).toMatchObject({
      labels: [],
      githubRepo: null,
      mainBranch: 'trunk',
    });

    const contradiction = await gibbon([
      'repos',
      'edit',
      'globex/web',
      '--github',
      'a/b',
      '--no-github',
    ]);
    expect(contradiction.code).toBe(2);
    expect(contradiction.stderr).toContain('--github and --no-github contradict each other');
    const badSwitch = await gibbon(['repos', 'edit', 'globex/web', '--untrusted-network', 'maybe']);
    expect(badSwitch.code).toBe(2);
    expect(badSwitch.stderr).toContain('--untrusted-network must be on or off, not "maybe"');
    const missing = await gibbon(['repos', 'edit', 'globex/nope', '--main-branch', 'x']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Changing repository globex/nope: No repository "nope"');
  }, 90_000);

  it('gibbon repos edit stores a GitHub token read from stdin and removes it, never printing it', async () => {
    const token = 'ghp_cliTestToken0123456789abcdefABCDEF';
    const set = await gibbon(['repos', 'edit', 'globex/web', '--github-token-stdin'], `${token}\n`);
    expect(set).toMatchObject({ code: 0, stderr: '' });
    expect(set.stdout).toMatch(/^Changed repository globex\/web \(github token\)\.$/m);
    expect(set.stdout).toMatch(/^ {2}github token: +stored \(never shown\)$/m);
    const stored = await gibbon(['repos', 'show', 'globex/web', '--json']);
    expect(JSON.parse(stored.stdout) as Repo).toMatchObject({ hasGithubToken: true });
    for (const output of [set.stdout, set.stderr, stored.stdout, stored.stderr]) {
      expect(output).not.toContain(token);
    }

    // Nothing piped in (stdin is /dev/null) is refused, and the stored token stays.
    const empty = await gibbon(['repos', 'edit', 'globex/web', '--github-token-stdin']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--github-token-stdin: stdin was empty; pipe it in');
    const twoLines = await gibbon(
      ['repos', 'edit', 'globex/web', '--github-token-stdin'],
      `${token}\nmore\n`,
    );
    expect(twoLines.code).toBe(2);
    expect(twoLines.stderr).toContain('stdin held more than one line');
    expect(twoLines.stderr).not.toContain(token);
    expect((await repoJson('globex/web')).hasGithubToken).toBe(true);

    const removed = await gibbon(['repos', 'edit', 'globex/web', '--no-github-token']);
    expect(removed).toMatchObject({ code: 0, stderr: '' });
    expect(removed.stdout).toMatch(/^ {2}github token: +none$/m);
    expect((await repoJson('globex/web')).hasGithubToken).toBe(false);
  }, 90_000);

  it('gibbon params show prints names and label filters; update replaces the set and keeps values it is not given', async () => {
    const created = await params(
      'create',
      '--description',
      'npm publishing',
      '--label',
      'team=web',
      'NPM_TOKEN=npm-secret-4711',
      'REGISTRY=https://registry.example.test',
    );
    expect(created.code).toBe(0);
    const id = /^Created parameter set (\S+) with/m.exec(created.stdout)?.[1];
    expect(id).toBeDefined();

    const shown = await params('show', id!);
    expect(shown.code).toBe(0);
    expect(shown.stdout.split('\n').slice(0, 5)).toEqual([
      `Parameter set ${id} of globex`,
      '  description:  npm publishing',
      '  names:        NPM_TOKEN, REGISTRY',
      '  applies to:   repositories labelled team=web',
      expect.stringMatching(/^ {2}created: {6}\d{4}-/),
    ]);
    expect(shown.stdout).not.toContain('npm-secret-4711');
    expect(await paramSetJson(id!)).toMatchObject({
      id,
      description: 'npm publishing',
      labelFilters: [[{ name: 'team', value: 'web' }]],
      names: ['NPM_TOKEN', 'REGISTRY'],
    });

    // No values given: the description and labels are replaced (none given: cleared), the values stay.
    const relabelled = await params('update', id!, '--description', 'npm');
    expect(relabelled).toMatchObject({ code: 0, stderr: '' });
    expect(relabelled.stdout.split('\n').slice(0, 4)).toEqual([
      `Replaced parameter set ${id}.`,
      '  description:  npm',
      '  names:        NPM_TOKEN, REGISTRY',
      // Said out loud: without --label the replaced set reaches every repository.
      '  applies to:   every repository of the organisation',
    ]);
    expect(await paramSetJson(id!)).toMatchObject({
      description: 'npm',
      labelFilters: [],
      names: ['NPM_TOKEN', 'REGISTRY'],
    });

    // Values given replace all of them.
    const replaced = await params('update', id!, '--json', 'NPM_TOKEN=npm-secret-4712');
    expect(replaced.code).toBe(0);
    expect(JSON.parse(replaced.stdout) as ParamSet).toMatchObject({
      description: '',
      names: ['NPM_TOKEN'],
    });
    expect(replaced.stdout).not.toContain('npm-secret-4712');

    const missing = await params('show', 'ps_missing');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^gibbon params: Reading parameter set ps_missing: .+\(404 not_found\)$/m,
    );
    const noId = await params('update');
    expect(noId.code).toBe(2);
    expect(noId.stderr).toContain('Usage: gibbon params update ID --org ORG');
  }, 90_000);

  it('names the new actions in each command’s --help and in gibbon --help', async () => {
    const repos = await gibbon(['repos', '--help']);
    expect(repos.stdout).toMatch(/^ {7}gibbon repos show ORG\/REPO \[--json\]$/m);
    expect(repos.stdout).toMatch(/^ {7}gibbon repos edit ORG\/REPO /m);
    expect((await gibbon(['orgs', '--help'])).stdout).toMatch(/^ {7}gibbon orgs show SLUG/m);
    const paramsHelp = await gibbon(['params', '--help']);
    expect(paramsHelp.stdout).toMatch(/^ {7}gibbon params show ID --org ORG/m);
    expect(paramsHelp.stdout).toMatch(/^ {7}gibbon params update ID --org ORG/m);
    const summary = await gibbon(['--help']);
    expect(summary.stdout).toMatch(/^ {2}repos +List, show, create, edit and delete repositories/m);
    expect(summary.stdout).toMatch(/^ {2}orgs +List, show and create organisations/m);
    expect(summary.stdout).toMatch(
      /^ {2}params +List, show, create, update and delete parameter sets/m,
    );
  }, 60_000);
});
