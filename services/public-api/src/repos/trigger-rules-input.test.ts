import { InputError } from '@gibbon/contracts';
import { triggerRulesOf } from './trigger-rules-input';

describe('triggerRulesOf', () => {
  it('keeps the rules given and only those', () => {
    expect(triggerRulesOf({})).toEqual({});
    expect(
      triggerRulesOf({ branches: ['main'], pathsIgnore: ['docs/**'], events: ['push', 'push'] }),
    ).toEqual({ branches: ['main'], pathsIgnore: ['docs/**'], events: ['push'] });
  });

  it.each([
    [[], 'triggers must be an object'],
    [{ branch: ['main'] }, 'triggers.branch is not a trigger rule; the rules are branches, tags'],
    [{ tags: 'v*' }, 'triggers.tags must be a list.'],
    [{ paths: [] }, 'triggers.paths must not be empty'],
    [{ paths: ['src/**', 3] }, 'triggers.paths[1] must be a non-empty glob'],
    [{ branches: [''] }, 'triggers.branches[0] must be a non-empty glob'],
    [{ branches: ['main\n'] }, 'triggers.branches[0] must be a non-empty glob without control'],
    [{ branches: ['x'.repeat(257)] }, 'triggers.branches[0] is longer than 256 characters.'],
    [{ branches: Array.from({ length: 51 }, () => 'a') }, 'at most 50 entries'],
    [{ events: ['push', 'cron'] }, 'triggers.events[1] must be one of push, pull_request, tag'],
  ])('refuses %j, naming the field', (value, message) => {
    expect(() => triggerRulesOf(value)).toThrow(InputError);
    expect(() => triggerRulesOf(value)).toThrow(message);
  });
});
