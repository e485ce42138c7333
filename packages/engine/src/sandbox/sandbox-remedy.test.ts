import { existsSync } from 'node:fs';
import { sandboxRemedy } from './prepare-sandbox';

// The fix the runner and `gibbon run` print when a box can't start here, chosen by bwrap's reason.
describe('sandboxRemedy', () => {
  it.each([
    'bwrap could not start (spawn bwrap ENOENT)',
    'setpriv: failed to execute bwrap: No such file or directory',
  ])('says to install bubblewrap when it is missing: %s', (failure) => {
    expect(sandboxRemedy(failure)).toBe('install bubblewrap (Debian: apt-get install bubblewrap)');
  });

  it.each([
    'choom could not start (spawn choom ENOENT)',
    'choom: failed to execute prlimit: No such file or directory',
  ])('says to install util-linux when one of its programs is missing: %s', (failure) => {
    expect(sandboxRemedy(failure)).toContain('apt-get install util-linux');
  });

  it('names the container options in a Docker container, user namespaces elsewhere', () => {
    const failure =
      'bwrap: No permissions to create new namespace, likely because the kernel does not allow non-privileged user namespaces.';
    const remedy = sandboxRemedy(failure);
    if (existsSync('/.dockerenv')) {
      expect(remedy).toContain('--cap-add SYS_ADMIN --security-opt seccomp=unconfined');
      expect(remedy).toContain('--security-opt systempaths=unconfined');
    } else {
      expect(remedy).toContain('allow unprivileged user namespaces');
    }
    // A missing program inside the box is not a missing bwrap.
    expect(sandboxRemedy('bwrap: execvp /bin/true: No such file or directory')).toBe(remedy);
  });
});
