import type { GitHostAllowlist } from '@gibbon/contracts';
import { createBuildSide, type BuildSide, type BuildSideOptions } from './build-side';
import { DataKeys } from '../crypto/data-keys';
import type { MasterKeyRing } from '../crypto/master-key-ring';
import { defaultDispatchOptions } from '../queue';
import type { GibbonDatabase } from '../db/database';
import { ApiTokensRepository, TokensService } from '../tokens';
import { OrgsRepository, OrgsService } from '../orgs';
import { ParamSetsRepository, ParamsService } from '../params';
import { ReposRepository, ReposService } from '../repos';
import { RunnersRepository, RunnersService } from '../runners';
import {
  SigningKeysRepository,
  KeysService,
  createMasterKeys,
  type MasterKeysService,
  SigningKeysService,
} from '../keys';
import { AuthService } from '../auth';

/** Every service of public-api, wired to one database and one master key. */
export interface Services {
  readonly auth: AuthService;
  readonly orgs: OrgsService;
  readonly repos: ReposService;
  readonly params: ParamsService;
  readonly tokens: TokensService;
  readonly runners: RunnersService;
  readonly signingKeys: SigningKeysService;
  readonly masterKeys: MasterKeysService;
  /** The admin API of keys: their state and rotation. */
  readonly keys: KeysService;
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
  /** The master keys (`openMasterKeyRing`); a bare key is one supplied like GIBBON_MASTER_KEY. */
  masterKey: Buffer | MasterKeyRing,
  buildSideOptions: BuildSideOptions,
  coreOptions: CoreOptions,
): Services {
  const { db } = database;
  const orgsRepository = new OrgsRepository(db);
  const masterKeys = createMasterKeys(database, masterKey);
  const dataKeys = new DataKeys(masterKeys, (org) => orgsRepository.findWrappedDataKey(org));
  const apiTokens = new ApiTokensRepository(db);
  const runnersRepository = new RunnersRepository(db);
  const signingKeys = new SigningKeysService(new SigningKeysRepository(db), masterKeys, {
    // Build tokens live as long as the build timeout (dispatch/claims.service.ts).
    tokenLifetimeSeconds:
      buildSideOptions.dispatch?.buildTimeoutSeconds ?? defaultDispatchOptions.buildTimeoutSeconds,
  });
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
    masterKeys,
    keys: new KeysService(masterKeys, signingKeys),
    buildSide: createBuildSide(
      database,
      { repos, params, signingKeys, dataKeys },
      buildSideOptions,
    ),
  };
}
