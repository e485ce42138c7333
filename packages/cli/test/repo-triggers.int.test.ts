import type { Repo } from '@gibbon/contracts';
import { cliAgainstApi } from './cli-against-api';

// A repository's trigger rules set, changed, shown and cleared with `gibbon repos`, and a
// manual trigger they refuse, against a real public-api.
describe('trigger rules with gibbon repos against a real public-api', () => {
  const { gibbon, repoJson } = cliAgainstApi('gibbon-cli-triggers-');

  it('gibbon repos create and edit set trigger rules, show prints them, a bad one names the field', async () => {
    const url = 'https://git.example.test/globex/api.git';
    const rules = ['--branches', 'main,release/*', '--paths', 'src/**'];
    const created = await gibbon([
      'repos',
      'create',
      'api',
      '--org',
      'globex',
      '--url',
      url,
      ...rules,
    ]);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toBe(
      'Created repository globex/api (https://git.example.test/globex/api.git)\n' +
        'Trigger rules: branches main, release/*; paths src/**\n',
    );

    const edited = await gibbon([
      'repos',
      'edit',
      'globex/api',
      '--paths-ignore',
      'docs/**',
      '--events',
      'push,pull_request',
      '--paths',
      '',
    ]);
    expect(edited).toMatchObject({ code: 0, stderr: '' });
    expect(edited.stdout).toMatch(/^Changed repository globex\/api \(triggers\)\.$/m);
    expect(edited.stdout).toMatch(
      /^ {2}triggers: +branches main, release\/\*; pathsIgnore docs\/\*\*; events push, pull_request$/m,
    );
    expect((await repoJson('globex/api')).triggers).toEqual({
      branches: ['main', 'release/*'],
      pathsIgnore: ['docs/**'],
      events: ['push', 'pull_request'],
    });
    const shown = await gibbon(['repos', 'show', 'globex/api']);
    expect(shown.stdout).toMatch(/^ {2}triggers: +branches main, release\/\*; pathsIgnore/m);

    // Refused, each with the server's words: a manual build the events leave out, a bad kind.
    for (const [args, said] of [
      [['trigger', '--repo', 'globex/api', '--branch', 'main'], 'globex/api refuses manual builds'],
      [['repos', 'edit', 'globex/api', '--events', 'push,cron'], 'triggers/events/1'],
    ] as const) {
      const refused = await gibbon([...args]);
      expect({ code: refused.code, stderr: refused.stderr }).toEqual({
        code: 2,
        stderr: refused.stderr.includes(said) ? refused.stderr : `a message holding ${said}`,
      });
    }
    expect((await repoJson('globex/api')).triggers.events).toEqual(['push', 'pull_request']);
    const cleared = await gibbon(['repos', 'edit', 'globex/api', '--no-triggers', '--json']);
    expect(cleared.code).toBe(0);
    expect((JSON.parse(cleared.stdout) as Repo).triggers).toEqual({});
  }, 90_000);
});
