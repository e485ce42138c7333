import type { GitHostAllowlist } from '@gibbon/contracts';
import { createBuildSide, type BuildSide, type BuildSideOptions } from '../builds/build-side';
import { DataKeys } from '../crypto/data-keys';
import type { GibbonDatabase } from '../db/database';
import { ApiTokensRepository } from '../repositories/api-tokens.repository';
import { OrgsRepository } from '../repositories/orgs.repository';
import { ParamSetsRepository } from '../repositories/param-sets.repository';
import { ReposRepository } from '../repositories/repos.repository';
import { RunnersRepository } from '../repositories/runners.repository';
import { SigningKeysRepository } from '../repositories/signing-keys.repository';
import { AuthService } from './auth.service';
import { OrgsService } from './orgs.service';
import { ParamsService } from './params.service';
import { ReposService } from './repos.service';
import { RunnersService } from './runners.service';
import { SigningKeysService } from './signing-keys.service';
import { TokensService } from './tokens.service';

/** Every service of public-api, wired to one database and one master key. */
export interface Services {
  readonly auth: AuthService;
  readonly orgs: OrgsService;
  readonly repos: ReposService;
  readonly params: ParamsService;
  readonly tokens: TokensService;
  readonly runners: RunnersService;
  readonly signingKeys: SigningKeysService;
  /** Builds, webhooks, dispatch, logs and artifacts (`src/builds/build-side.ts`). */
  readonly buildSide: BuildSide;
}

/** What the core services need besides the database and the master key. */
export interface CoreOptions {
  /** The hosts clone URLs may name (`Config.gitHosts`); a repository elsewhere is refused. */
  readonly gitHosts: GitHostAllowlist;
}

export function createServices(
  database: GibbonDatabase,
  masterKey: Buffer,
  buildSideOptions: BuildSideOptions,
  coreOptions: CoreOptions,
): Services {
  const { db } = database;
  const orgsRepository = new OrgsRepository(db);
  const dataKeys = new DataKeys(masterKey, (org) => orgsRepository.findWrappedDataKey(org));
  const apiTokens = new ApiTokensRepository(db);
  const runnersRepository = new RunnersRepository(db);
  const signingKeys = new SigningKeysService(new SigningKeysRepository(db), masterKey);
  const orgs = new OrgsService(orgsRepository, dataKeys);
  const repos = new ReposService(new ReposRepository(db), orgs, dataKeys, coreOptions.gitHosts);
  const params = new ParamsService(new ParamSetsRepository(db), orgs, dataKeys);
  return {
    auth: new AuthService(apiTokens, runnersRepository, signingKeys),
    orgs,
    repos,
    params,
    tokens: new TokensService(apiTokens, orgs),
    runners: new RunnersService(runnersRepository),
    signingKeys,
    buildSide: createBuildSide(
      database,
      { repos, params, signingKeys, dataKeys },
      buildSideOptions,
    ),
  };
}
