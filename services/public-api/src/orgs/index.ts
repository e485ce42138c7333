export { OrgsRepository } from './orgs.repository';
export { orgsRoutes } from './orgs.routes';
export { OrgsService } from './orgs.service';
