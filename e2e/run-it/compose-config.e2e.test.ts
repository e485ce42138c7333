import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { repoRoot } from './start-process';

// docker-compose.yml as docker-compose itself reads it with .env.example: the stack's shape,
// the one container with the Docker socket (and the one with confinement lifted, for its script boxes), start order by health, and configuration only
// through the variables of spec section 9. Needs `docker-compose` (Debian: docker-compose).

const run = promisify(execFile);

interface ComposeService {
  image?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string };
  ports?: unknown[];
  privileged?: boolean;
  cap_add?: string[];
  security_opt?: string[];
}
interface ComposeConfig {
  services: Record<string, ComposeService>;
}

let config: ComposeConfig;

beforeAll(async () => {
  const { stdout } = await run(
    'docker-compose',
    ['--env-file', '.env.example', '-f', 'docker-compose.yml', 'config'],
    { cwd: repoRoot },
  );
  config = parse(stdout) as ComposeConfig;
});

function service(name: string): ComposeService {
  const found = config.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

test('the stack: public-api, build-runner, Postgres, MinIO and its bucket', () => {
  expect(Object.keys(config.services).sort()).toEqual(
    ['build-runner', 'minio', 'minio-init', 'postgres', 'public-api'].sort(),
  );
});

test('only the build-runner gets the Docker socket', () => {
  const withSocket = Object.entries(config.services)
    .filter(([, spec]) => (spec.volumes ?? []).some((volume) => volume.includes('docker.sock')))
    .map(([name]) => name);
  expect(withSocket).toEqual(['build-runner']);
});

test('only the build-runner has confinement lifted, for its script boxes, and none is privileged', () => {
  const lifted = Object.entries(config.services)
    .filter(([, spec]) => spec.privileged || spec.cap_add || spec.security_opt)
    .map(([name]) => name);
  expect(lifted).toEqual(['build-runner']);
  const runner = service('build-runner');
  expect(runner.privileged).toBeUndefined();
  expect(runner.cap_add).toEqual(['SYS_ADMIN']);
  expect([...(runner.security_opt ?? [])].sort()).toEqual([
    'apparmor=unconfined',
    'seccomp=unconfined',
  ]);
});

test('services start in order of health: Postgres and the bucket, then public-api, then the runner', () => {
  expect(service('public-api').depends_on).toEqual({
    postgres: { condition: 'service_healthy' },
    'minio-init': { condition: 'service_completed_successfully' },
  });
  expect(service('build-runner').depends_on).toEqual({
    'public-api': { condition: 'service_healthy' },
    'minio-init': { condition: 'service_completed_successfully' },
  });
  expect(service('minio-init').depends_on).toEqual({ minio: { condition: 'service_healthy' } });
  for (const name of ['postgres', 'minio']) expect(service(name).healthcheck).toBeDefined();
});

test('public-api and build-runner use Postgres and S3 as .env.example sets them', () => {
  const api = service('public-api').environment ?? {};
  expect(api.GIBBON_DATABASE_URL).toBe('postgres://gibbon:change-me@postgres:5432/gibbon');
  expect(api).toMatchObject({
    GIBBON_STORAGE: 's3',
    GIBBON_S3_ENDPOINT: 'http://minio:9000',
    GIBBON_S3_BUCKET: 'gibbon',
    GIBBON_PUBLIC_URL: 'http://localhost:8080',
  });
  const runner = service('build-runner').environment ?? {};
  expect(runner).toMatchObject({
    GIBBON_SERVER_URL: 'http://public-api:8080',
    GIBBON_STORAGE: 's3',
    GIBBON_S3_BUCKET: 'gibbon',
    GIBBON_RUNNER_CAPACITY: '2',
    GIBBON_JOB_NETWORK: 'bridge',
  });
  expect(service('public-api').ports).toEqual([{ published: 8080, target: 8080 }]);
});

test('public-api and build-runner read the same git host allowlist', () => {
  const gitHosts = {
    GIBBON_GITHUB_API_URL: 'https://api.github.com',
    GIBBON_GIT_HOSTS: '',
    GIBBON_GIT_INTERNAL_HOSTS: '',
  };
  expect(service('public-api').environment).toMatchObject(gitHosts);
  expect(service('build-runner').environment).toMatchObject(gitHosts);
});

test('every variable .env.example sets is used by docker-compose.yml', async () => {
  const example = await readFile(join(repoRoot, '.env.example'), 'utf8');
  const compose = await readFile(join(repoRoot, 'docker-compose.yml'), 'utf8');
  const names = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]);
  expect(names.length).toBeGreaterThan(10);
  const unused = names.filter((name) => !compose.includes(`\${${name}`));
  expect(unused).toEqual([]);
});
