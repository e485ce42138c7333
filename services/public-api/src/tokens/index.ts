export { ensureAdminToken } from './admin-token-file';
export { ApiTokensRepository, type ApiTokenOwner } from './api-tokens.repository';
export { tokensRoutes } from './tokens.routes';
export { TokensService } from './tokens.service';
