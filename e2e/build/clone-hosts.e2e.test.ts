import {
  ensureTestImage,
  githubDelivery,
  startGitRemote,
  startRecordingServer,
  startS3Server,
  type GitRemote,
} from '@gibbon/test-kit';
import { waitForEnd } from './harness';
import { trueScript } from './harness/build-scripts';
import { Project } from './harness/project';
import { Stack } from './harness/stack';
import { withServiceLogs } from './harness/with-logs';

// Server-side request forgery through clone URLs: public-api stores repositories on allowed git
// hosts only, and a runner checks every fetch against its own list again. public-api here
// allows the git remote by two names (127.0.0.1 and localhost); the runner only by one, as a
// runner configured apart from public-api might be.
jest.setTimeout(120_000);

let stack: Stack;
let remote: GitRemote;
let image: string;

beforeAll(async () => {
  image = await ensureTestImage();
  remote = await startGitRemote();
  stack = await Stack.start(
    { github: await startRecordingServer(), s3: await startS3Server() },
    { apiEnv: { GIBBON_GIT_HOSTS: '127.0.0.1,localhost' } },
  );
  await stack.addRunner('strict', { env: { GIBBON_GIT_HOSTS: '127.0.0.1' } });
}, 120_000);

afterAll(async () => {
  await stack?.close();
  await remote?.close();
});

const refusal = (host: string) =>
  `The clone URL's host ${host} is not an allowed git host. An operator can allow it by adding ${host} to GIBBON_GIT_HOSTS (or to GIBBON_GIT_INTERNAL_HOSTS for a forge on their own network) of public-api and every build-runner.`;

it('public-api refuses a repository at the metadata address, and a change of url to it', async () => {
  await stack.admin.ok('POST', '/v1/orgs', { slug: 'ssrf' });
  for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://[::1]:8080/x.git']) {
    const created = await stack.admin.call('POST', '/v1/orgs/ssrf/repos', { name: 'meta', url });
    const host = new URL(url).host;
    expect({ status: created.status, body: created.body }).toEqual({
      status: 400,
      body: { error: { code: 'invalid_input', message: refusal(host) } },
    });
  }
  await stack.admin.ok('POST', '/v1/orgs/ssrf/repos', {
    name: 'fine',
    url: 'http://127.0.0.1:9/fine.git',
  });
  const changed = await stack.admin.call('PATCH', '/v1/orgs/ssrf/repos/fine', {
    url: 'http://169.254.169.254/latest/meta-data/',
  });
  expect(changed.status).toBe(400);
  const kept = await stack.admin.ok<{ url: string }>('GET', '/v1/orgs/ssrf/repos/fine');
  expect(kept.url).toBe('http://127.0.0.1:9/fine.git');
});

it('a runner refuses to clone from a host its own list lacks; the build says which setting allows it', async () => {
  await withServiceLogs(
    () => stack.logs(),
    async () => {
      const project = await Project.create(stack.admin, {
        createRepository: async (name, auth) => {
          const repository = await remote.createRepository(name, { auth });
          return {
            url: repository.url.replace('127.0.0.1', 'localhost'),
            directory: repository.directory,
            commit: (files, options) => repository.commit(files, options),
          };
        },
        sign: githubDelivery,
      });
      await project.commitScript('main', trueScript(image));
      const { number } = await project.trigger('main');
      const build = await waitForEnd(project, number);
      const host = new URL(project.git.url).host;
      const message = `Could not check out refs/heads/main of ${project.git.url}: ${refusal(host)}`;
      expect({ status: build.status, message: build.message }).toEqual({
        status: 'error',
        message,
      });
      expect(await project.jobLog(number, '_script')).toBe(`${message}\n`);
    },
  );
});
