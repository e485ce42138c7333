import { action, container } from './jobs';
import { nearestName } from './field-names';

// A misspelt field in plain JavaScript (or a declarative file) is refused with the field it
// most likely meant, never dropped: a job without its dependsOn would run too early.
describe('unknown job fields', () => {
  it('refuses a misspelt container field, naming the nearest valid one', () => {
    const spec = { image: 'node:20', script: ['npm test'], dependson: ['lint'] };
    expect(() => container('test', spec as never)).toThrow(
      'Job "test": `dependson` is not a field of a container job; did you mean `dependsOn`?',
    );
    expect(() => container('test', { image: 'x', command: ['y'], workdir: 'a' } as never)).toThrow(
      'did you mean `workDir`?',
    );
  });

  it('lists the fields when nothing is near, and checks action options too', () => {
    expect(() => container('a', { image: 'x', script: ['y'], flavour: 'mint' } as never)).toThrow(
      /`flavour` is not a field of a container job; the fields are image, script, command, env,/,
    );
    expect(() => action('deploy', () => undefined, { dependOn: ['test'] } as never)).toThrow(
      "`dependOn` is not a field of an action job's options; did you mean `dependsOn`?",
    );
  });

  it('finds the nearest name case-insensitively, and none when too far', () => {
    expect(nearestName('SAVEARTIFACTS', ['saveArtifacts', 'restoreArtifacts'])).toBe(
      'saveArtifacts',
    );
    expect(nearestName('retry', ['retries', 'timeout'])).toBe('retries');
    expect(nearestName('zzz', ['image', 'script'])).toBeUndefined();
  });
});
