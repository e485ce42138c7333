import type { Schedule, ScheduleList } from '@gibbon/contracts';
import { cliAgainstApi } from './cli-against-api';

// `gibbon schedules` against a real public-api (its scheduler running): create, list, pause,
// resume, the runs of a schedule that fired, delete, and the server's words for a bad one.
describe('gibbon schedules against a real public-api', () => {
  const session = cliAgainstApi('gibbon-cli-schedules-');
  const { gibbon } = session;
  const repo = ['--repo', 'globex/nightly'];
  const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

  const ok = async (args: string[]) => {
    const result = await gibbon(args);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    return result.stdout;
  };

  const schedulesNow = async () =>
    (
      (await (
        await session.api.call('GET', '/v1/orgs/globex/repos/nightly/schedules')
      ).json()) as ScheduleList
    ).items;

  it('creates, lists, pauses, resumes and deletes a schedule; a bad expression is refused', async () => {
    await ok([
      'repos',
      'create',
      'nightly',
      '--org',
      'globex',
      '--url',
      'https://git.example.test/globex/nightly.git',
    ]);
    expect(await ok(['schedules', ...repo])).toBe(
      'No schedules in globex/nightly; add one with gibbon schedules create.\n',
    );

    const refused = await gibbon(['schedules', 'create', ...repo, '--cron', '0 25 * * *']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('cron "0 25 * * *" is not a cron expression');
    const noCron = await gibbon(['schedules', 'create', ...repo]);
    expect(noCron.code).toBe(2);
    expect(noCron.stderr).toContain('--cron EXPR');

    const created = JSON.parse(
      await ok([
        'schedules',
        'create',
        ...repo,
        '--cron',
        '0 3 * * 1-5',
        '--timezone',
        'Europe/Berlin',
        '--description',
        'Nightly full run',
        '--param',
        'LEVEL=full-canary-value',
        '--json',
      ]),
    ) as Schedule;
    expect(created).toMatchObject({
      cron: '0 3 * * 1-5',
      timezone: 'Europe/Berlin',
      branch: 'main',
      description: 'Nightly full run',
      paramNames: ['LEVEL'],
      enabled: true,
      lastRun: null,
    });
    expect(JSON.stringify(created)).not.toContain('full-canary-value');

    const listed = (await ok(['schedules', 'list', ...repo])).split('\n');
    expect(listed[0]).toMatch(/^ID +CRON +TIMEZONE +BRANCH +NEXT RUN +LAST RUN$/);
    expect(listed[1]).toMatch(
      new RegExp(
        `^${created.id} +0 3 \\* \\* 1-5 +Europe/Berlin +main +${utc(created.nextRunAt!)} +never$`,
      ),
    );

    expect(await ok(['schedules', 'pause', created.id, ...repo])).toBe(
      `Paused schedule ${created.id}: paused\n`,
    );
    expect(await ok(['schedules', ...repo])).toMatch(/ main +paused +never\n$/);
    expect((await schedulesNow())[0]).toMatchObject({ enabled: false, nextRunAt: null });
    expect(await ok(['schedules', 'resume', created.id, ...repo])).toMatch(
      new RegExp(
        `^Resumed schedule ${created.id}; next run: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:00 UTC\\n$`,
      ),
    );

    expect(await ok(['schedules', 'runs', created.id, ...repo])).toBe(
      `Schedule ${created.id} has not fired yet.\n`,
    );
    expect(await ok(['schedules', 'delete', created.id, ...repo])).toBe(
      `Deleted schedule ${created.id}; its builds stay.\n`,
    );
    expect(JSON.parse(await ok(['schedules', ...repo, '--json']))).toEqual({ items: [] });
    const gone = await gibbon(['schedules', 'pause', created.id, ...repo]);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain(created.id);
  }, 90_000);

  it('shows the runs of a schedule that fired, each with its build', async () => {
    const every = JSON.parse(
      await ok(['schedules', 'create', ...repo, '--cron', '* * * * * *', '--json']),
    ) as Schedule;
    const deadline = Date.now() + 30_000;
    while (!(await schedulesNow()).some((s) => s.lastRun?.buildNumber)) {
      if (Date.now() > deadline) throw new Error('the every-second schedule never fired');
      await new Promise((done) => setTimeout(done, 200));
    }
    await ok(['schedules', 'pause', every.id, ...repo]);
    const [last] = await schedulesNow();
    const runs = (await ok(['schedules', 'runs', every.id, ...repo])).split('\n');
    expect(runs[0]).toMatch(/^TICK +FIRED +BUILD$/);
    expect(runs[1]).toMatch(
      new RegExp(`^${utc(last!.lastRun!.tickAt)} +\\d{4}-.* UTC +#${last!.lastRun!.buildNumber}$`),
    );
    expect(await ok(['schedules', ...repo])).toMatch(
      new RegExp(` paused +#${last!.lastRun!.buildNumber} at ${utc(last!.lastRun!.tickAt)}\\n$`),
    );
    const build = (await (
      await session.api.call(
        'GET',
        `/v1/orgs/globex/repos/nightly/builds/${last!.lastRun!.buildNumber}`,
      )
    ).json()) as { source: string };
    expect(build.source).toBe('schedule');
  }, 90_000);
});
