export { RunnersRepository } from './runners.repository';
export { runnersRoutes } from './runners.routes';
export { RunnersService } from './runners.service';
