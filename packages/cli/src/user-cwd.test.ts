import { userCwd } from './user-cwd';

describe('the folder the user means', () => {
  it('is where `pnpm gibbon` was typed when the root script started the CLI', () => {
    expect(userCwd({ npm_lifecycle_event: 'gibbon', INIT_CWD: '/work/app' }, '/repo')).toBe(
      '/work/app',
    );
  });

  it('is the process’s folder otherwise', () => {
    expect(userCwd({ INIT_CWD: '/work/app' }, '/here')).toBe('/here');
    expect(userCwd({ npm_lifecycle_event: 'test', INIT_CWD: '/work/app' }, '/here')).toBe('/here');
    expect(userCwd({ npm_lifecycle_event: 'gibbon' }, '/here')).toBe('/here');
  });
});
