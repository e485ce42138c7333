import { gitHostAllowlistFromEnv } from '@gibbon/contracts';

/**
 * The git hosts of the tests' repositories, allowed as an operator would: through
 * `GIBBON_GIT_HOSTS` (public-api allows only github.com by default).
 */
export const testGitHosts = gitHostAllowlistFromEnv({
  GIBBON_GIT_HOSTS: 'git.example.test,127.0.0.1',
});
