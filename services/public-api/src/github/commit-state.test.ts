import { BUILD_STATUSES } from '@gibbon/contracts';
import { defaultDescriptionOf, githubStateOf } from './commit-state';

describe('githubStateOf', () => {
  it.each([
    ['queued', 'pending'],
    ['running', 'pending'],
    ['success', 'success'],
    ['failure', 'failure'],
    ['timed_out', 'failure'],
    ['error', 'error'],
    ['canceled', 'error'],
  ] as const)('shows a %s build as %s', (status, state) => {
    expect(githubStateOf(status)).toBe(state);
  });

  it('maps every build status, with a description within GitHub’s 140 characters', () => {
    for (const status of BUILD_STATUSES) {
      expect(['pending', 'success', 'failure', 'error']).toContain(githubStateOf(status));
      expect(defaultDescriptionOf(status).length).toBeLessThanOrEqual(140);
    }
  });
});
