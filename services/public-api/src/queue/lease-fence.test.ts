import { AuthenticationError, NotAllowedError } from '@gibbon/contracts';
import type { Principal } from '../auth';
import { assertOwnBuild, assertTokenLease } from './lease-fence';

const token = (claims: Record<string, unknown>): Principal => ({
  kind: 'build',
  buildId: 'bld_1',
  claims,
});

describe('build tokens and leases', () => {
  it('lets a token speak only for its own build', () => {
    expect(() => assertOwnBuild(token({}), 'bld_1')).not.toThrow();
    expect(() => assertOwnBuild(token({}), 'bld_2')).toThrow(NotAllowedError);
  });

  it('refuses a token with the lease of a later claim (401) and names the fix', () => {
    const principal = token({ lease: 'lse_first' });
    expect(() => assertTokenLease(principal, 'lse_first')).not.toThrow();
    expect(() => assertTokenLease(principal, 'lse_second')).toThrow(AuthenticationError);
    expect(() => assertTokenLease(principal, 'lse_second')).toThrow(/only a new claim/);
  });

  it('fences tokens issued without a lease claim by the lease header alone', () => {
    expect(() => assertTokenLease(token({}), 'lse_any')).not.toThrow();
    expect(() => assertTokenLease({ kind: 'runner', runnerId: 'run_1' }, 'lse_any')).not.toThrow();
  });
});
