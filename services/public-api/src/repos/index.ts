export { ReposRepository } from './repos.repository';
export { reposRoutes } from './repos.routes';
export { ReposService } from './repos.service';
