export { RunnersRepository } from './runners.repository';
export { runnersRoutes } from './runners.routes';
export { RunnersService } from './runners.service';
export { RegistrationTokensRepository } from './registration-tokens.repository';
export { RegistrationTokensService } from './registration-tokens.service';
