import { randomBytes } from 'node:crypto';
import { AuthenticationError, ConflictError, InputError, NotFoundError } from '@gibbon/contracts';
import { signJwt } from '../src/auth/jwt';
import type { GibbonDatabase } from '../src/db/database';
import { buildTokenProfile } from '../src/auth/auth.service';
import { createServices, type Services } from '../src/services';
import { backends, type OpenedBackend } from './backends';
import { openTempBlobStore, plainServiceOptions } from './blob-store';

// One suite, run against every back end (SQLite file and Postgres): the repository layer
// must behave the same on both.
describe.each(backends)('database on $name', (backend) => {
  const masterKey = randomBytes(32);
  let opened: OpenedBackend;
  let services: Services;
  let blobs: Awaited<ReturnType<typeof openTempBlobStore>>;

  beforeAll(async () => {
    blobs = await openTempBlobStore();
    opened = await backend.open();
    services = createServices(opened.database, masterKey, plainServiceOptions(blobs.store));
  });
  afterAll(async () => {
    await opened.cleanup();
    await blobs.cleanup();
  });

  describe('migrations', () => {
    it('run again on an up-to-date database without changing anything', async () => {
      await services.orgs.create({ slug: 'migrated' });
      const again = await opened.reopen();
      await expect(
        createServices(again, masterKey, plainServiceOptions(blobs.store)).orgs.get('migrated'),
      ).resolves.toMatchObject({
        slug: 'migrated',
      });
      await again.close();
    });
  });

  describe('orgs', () => {
    it('creates, lists and gets; a duplicate slug is a conflict', async () => {
      const org = await services.orgs.create({ slug: 'acme', name: 'Acme Inc.' });
      expect(org).toMatchObject({ slug: 'acme', name: 'Acme Inc.' });
      await expect(services.orgs.create({ slug: 'acme' })).rejects.toBeInstanceOf(ConflictError);
      expect((await services.orgs.list()).map((o) => o.slug)).toEqual(
        expect.arrayContaining(['acme', 'migrated']),
      );
      expect(await services.orgs.list('acme')).toEqual([org]);
      await expect(services.orgs.get('nope')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('refuses hostile slugs before touching the database', async () => {
      for (const slug of ['a/b', '..', 'a\u0000', 'a\nb', '\u001b[1m']) {
        await expect(services.orgs.create({ slug })).rejects.toBeInstanceOf(InputError);
      }
      expect((await services.orgs.list()).map((o) => o.slug)).not.toContain('a/b');
    });
  });

  describe('repositories', () => {
    beforeAll(() => services.orgs.create({ slug: 'repos-org' }));

    it('creates with defaults, lists by name, gets', async () => {
      const repo = await services.repos.create('repos-org', {
        name: 'web',
        url: 'https://git.example.test/web.git',
      });
      expect(repo).toMatchObject({
        name: 'web',
        mainBranch: 'main',
        labels: [],
        githubRepo: null,
        hasGithubToken: false,
      });
      await services.repos.create('repos-org', { name: 'api', url: 'http://127.0.0.1:9/api.git' });
      expect((await services.repos.list('repos-org')).map((r) => r.name)).toEqual(['api', 'web']);
      expect(await services.repos.get('repos-org', 'web')).toEqual(repo);
    });

    it('a duplicate name is a conflict; an unknown org is not found', async () => {
      await expect(
        services.repos.create('repos-org', {
          name: 'web',
          url: 'https://git.example.test/other.git',
        }),
      ).rejects.toBeInstanceOf(ConflictError);
      await expect(
        services.repos.create('ghost', { name: 'web', url: 'https://git.example.test/x.git' }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });

    it('updates only the fields given; null removes githubRepo and githubToken', async () => {
      await services.repos.create('repos-org', {
        name: 'gh',
        url: 'https://github.com/acme/gh.git',
        labels: [{ name: 'team', value: 'core' }],
        githubRepo: 'acme/gh',
        githubToken: 'ghp_repo_token_value',
      });
      const withToken = await services.repos.get('repos-org', 'gh');
      expect(withToken.hasGithubToken).toBe(true);
      await expect(services.repos.githubTokenOf(withToken)).resolves.toBe('ghp_repo_token_value');
      const changed = await services.repos.update('repos-org', 'gh', { mainBranch: 'trunk' });
      expect(changed).toMatchObject({
        mainBranch: 'trunk',
        githubRepo: 'acme/gh',
        hasGithubToken: true,
        labels: [{ name: 'team', value: 'core' }],
      });
      const cleared = await services.repos.update('repos-org', 'gh', {
        githubRepo: null,
        githubToken: null,
      });
      expect(cleared).toMatchObject({
        githubRepo: null,
        hasGithubToken: false,
        mainBranch: 'trunk',
      });
      await expect(services.repos.githubTokenOf(cleared)).resolves.toBeNull();
    });

    it('refuses clone URLs that are not plain http(s)', async () => {
      for (const url of [
        'file:///etc/passwd',
        'ext::sh -c id',
        'https://u:p@git.example.test/x.git',
      ]) {
        await expect(
          services.repos.create('repos-org', { name: 'bad', url }),
        ).rejects.toBeInstanceOf(InputError);
        await expect(services.repos.update('repos-org', 'web', { url })).rejects.toBeInstanceOf(
          InputError,
        );
      }
      await expect(services.repos.get('repos-org', 'bad')).rejects.toBeInstanceOf(NotFoundError);
      expect((await services.repos.get('repos-org', 'web')).url).toBe(
        'https://git.example.test/web.git',
      );
    });

    it('deletes; a second delete is not found', async () => {
      await services.repos.delete('repos-org', 'api');
      await expect(services.repos.get('repos-org', 'api')).rejects.toBeInstanceOf(NotFoundError);
      await expect(services.repos.delete('repos-org', 'api')).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('parameter sets', () => {
    beforeAll(async () => {
      await services.orgs.create({ slug: 'params-org' });
      await services.repos.create('params-org', {
        name: 'web',
        url: 'https://git.example.test/web.git',
        labels: [
          { name: 'team', value: 'web' },
          { name: 'env', value: 'prod' },
        ],
      });
      await services.repos.create('params-org', {
        name: 'plain',
        url: 'https://git.example.test/plain.git',
      });
    });

    it('stores values but reads back names only', async () => {
      const set = await services.params.create('params-org', {
        description: 'shared',
        values: [
          { name: 'NPM_TOKEN', value: 'npm-secret' },
          { name: 'A_FIRST', value: 'a' },
        ],
      });
      expect(set.names).toEqual(['A_FIRST', 'NPM_TOKEN']);
      expect(JSON.stringify(await services.params.get('params-org', set.id))).not.toContain(
        'npm-secret',
      );
      expect(JSON.stringify(await services.params.list('params-org'))).not.toContain('npm-secret');
    });

    it('resolves the values a repository may see by label filters (OR of AND groups)', async () => {
      await services.params.create('params-org', {
        labelFilters: [
          [
            { name: 'team', value: 'web' },
            { name: 'env', value: 'prod' },
          ],
        ],
        values: [{ name: 'DEPLOY_KEY', value: 'web-prod-key' }],
      });
      await services.params.create('params-org', {
        labelFilters: [[{ name: 'team', value: 'api' }], [{ name: 'env', value: 'staging' }]],
        values: [{ name: 'STAGING_KEY', value: 'never-for-web' }],
      });
      const web = await services.repos.get('params-org', 'web');
      const plain = await services.repos.get('params-org', 'plain');
      expect(await services.params.resolveParams(web)).toEqual({
        NPM_TOKEN: 'npm-secret',
        A_FIRST: 'a',
        DEPLOY_KEY: 'web-prod-key',
      });
      expect(await services.params.resolveParams(plain)).toEqual({
        NPM_TOKEN: 'npm-secret',
        A_FIRST: 'a',
      });
    });

    it('replace keeps values when none are sent, and replaces them all when some are', async () => {
      const set = await services.params.create('params-org', {
        values: [{ name: 'KEEP', value: 'kept' }],
      });
      const described = await services.params.replace('params-org', set.id, {
        description: 'new words',
      });
      expect(described).toMatchObject({ description: 'new words', names: ['KEEP'] });
      const replaced = await services.params.replace('params-org', set.id, {
        values: [{ name: 'OTHER', value: 'o' }],
      });
      expect(replaced.names).toEqual(['OTHER']);
      const resolved = await services.params.resolveParams(
        await services.repos.get('params-org', 'plain'),
      );
      expect(resolved).toMatchObject({ OTHER: 'o' });
      expect(resolved).not.toHaveProperty('KEEP');
      await services.params.delete('params-org', set.id);
      await expect(services.params.get('params-org', set.id)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('refuses duplicate names and oversized values, and stores nothing', async () => {
      const before = (await services.params.list('params-org')).length;
      await expect(
        services.params.create('params-org', {
          values: [
            { name: 'X', value: '1' },
            { name: 'X', value: '2' },
          ],
        }),
      ).rejects.toBeInstanceOf(InputError);
      await expect(
        services.params.create('params-org', {
          values: [{ name: 'BIG', value: 'x'.repeat(65 * 1024) }],
        }),
      ).rejects.toBeInstanceOf(InputError);
      expect(await services.params.list('params-org')).toHaveLength(before);
    });

    it('a ciphertext copied to another row does not decrypt', async () => {
      await services.orgs.create({ slug: 'swap-org' });
      const repo = await services.repos.create('swap-org', {
        name: 'r',
        url: 'https://git.example.test/r.git',
      });
      const one = await services.params.create('swap-org', {
        values: [{ name: 'ONE', value: 'first' }],
      });
      const two = await services.params.create('swap-org', {
        values: [{ name: 'TWO', value: 'second' }],
      });
      const { db } = opened.database;
      const sealedOne = await db
        .selectFrom('param_values')
        .select('sealed_value')
        .where('set_id', '=', one.id)
        .executeTakeFirstOrThrow();
      await db
        .updateTable('param_values')
        .set({ sealed_value: sealedOne.sealed_value })
        .where('set_id', '=', two.id)
        .execute();
      await expect(services.params.resolveParams(repo)).rejects.toThrow(/failed authentication/);
    });

    it('another master key cannot open the values', async () => {
      const other = createServices(
        opened.database,
        randomBytes(32),
        plainServiceOptions(blobs.store),
      );
      const web = await services.repos.get('params-org', 'web');
      // Every wrapped key names its master key: the other key is not even tried.
      await expect(other.params.resolveParams(web)).rejects.toThrow(
        /^A stored key is wrapped by master key mk_[0-9a-f]{16}, which this process does not hold/,
      );
    });
  });

  describe('tokens and runners', () => {
    beforeAll(() => services.orgs.create({ slug: 'tok-org' }));

    it('creates the admin token once; it authenticates by hash', async () => {
      const fresh = await opened.reopen();
      const local = createServices(fresh, masterKey, plainServiceOptions(blobs.store));
      const first = await local.tokens.ensureAdminToken();
      expect(first).toMatch(/^gbn_admin_/);
      await expect(local.tokens.ensureAdminToken()).resolves.toBeUndefined();
      await expect(local.auth.authenticate(first ?? '')).resolves.toMatchObject({ kind: 'admin' });
      await fresh.close();
    });

    it('org tokens authenticate with their org and role until revoked', async () => {
      const token = await services.tokens.createOrgToken('tok-org', { name: 'ci', role: 'read' });
      await expect(services.auth.authenticate(token.secret)).resolves.toEqual({
        kind: 'org',
        tokenId: token.id,
        org: 'tok-org',
        role: 'read',
      });
      expect(await services.tokens.list('tok-org')).toEqual([
        expect.objectContaining({ id: token.id, name: 'ci', role: 'read' }),
      ]);
      expect(JSON.stringify(await services.tokens.list('tok-org'))).not.toContain(token.secret);
      await services.tokens.delete('tok-org', token.id);
      await expect(services.auth.authenticate(token.secret)).rejects.toBeInstanceOf(
        AuthenticationError,
      );
    });

    it('an org secret with an admin prefix does not authenticate', async () => {
      const token = await services.tokens.createOrgToken('tok-org', { name: 'x', role: 'admin' });
      const disguised = token.secret.replace(/^gbn_org_/, 'gbn_admin_');
      await expect(services.auth.authenticate(disguised)).rejects.toBeInstanceOf(
        AuthenticationError,
      );
    });

    it('runners register, authenticate with their token, and stop when deleted', async () => {
      const runner = await services.runners.register({
        name: 'r1',
        labels: [{ name: 'arch', value: 'x64' }],
      });
      await expect(services.auth.authenticate(runner.token)).resolves.toEqual({
        kind: 'runner',
        runnerId: runner.id,
      });
      expect(await services.runners.list()).toEqual([
        expect.objectContaining({ id: runner.id, name: 'r1' }),
      ]);
      await services.runners.delete(runner.id);
      await expect(services.auth.authenticate(runner.token)).rejects.toBeInstanceOf(
        AuthenticationError,
      );
      await expect(services.runners.delete(runner.id)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('build-token keys persist across restarts and keep verifying after rotation', async () => {
      const ring = await services.signingKeys.ring('build');
      const token = signJwt(ring, buildTokenProfile, 'build-42', 60);
      const restarted: GibbonDatabase = await opened.reopen();
      const later = createServices(restarted, masterKey, plainServiceOptions(blobs.store));
      await expect(later.auth.authenticate(token)).resolves.toMatchObject({
        kind: 'build',
        buildId: 'build-42',
      });
      await later.signingKeys.rotate('build');
      expect((await later.signingKeys.ring('build')).current.kid).not.toBe(ring.current.kid);
      await expect(later.auth.authenticate(token)).resolves.toMatchObject({ kind: 'build' });
      await later.signingKeys.retire('build', ring.current.kid);
      await expect(later.auth.authenticate(token)).rejects.toBeInstanceOf(AuthenticationError);
      await restarted.close();
    });
  });

  it('stores no secret in plaintext (canary in every table and file)', async () => {
    const canary = `canary-${randomBytes(8).toString('hex')}`;
    await services.orgs.create({ slug: 'canary-org' });
    await services.repos.create('canary-org', {
      name: 'r',
      url: 'https://git.example.test/r.git',
      githubToken: `${canary}-gh`,
    });
    await services.params.create('canary-org', { values: [{ name: 'CANARY', value: canary }] });
    const org = await services.tokens.createOrgToken('canary-org', { name: 't', role: 'admin' });
    const runner = await services.runners.register({ name: 'canary-runner' });
    const dump = await opened.dumpEverything();
    expect(dump).toContain('canary-org'); // the dump does see the data
    expect(dump).toContain('CANARY'); // names are stored in clear; values are not
    for (const secret of [
      canary,
      `${canary}-gh`,
      org.secret,
      runner.token,
      Buffer.from(canary).toString('base64'),
    ]) {
      expect(dump).not.toContain(secret);
    }
    expect(dump).not.toContain(masterKey.toString('base64'));
  });
});
