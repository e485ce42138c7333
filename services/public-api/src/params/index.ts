export { ParamSetsRepository } from './param-sets.repository';
export { paramsRoutes } from './params.routes';
export { ParamsService } from './params.service';
