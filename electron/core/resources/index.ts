export { ResourceService } from './resource-service';
export { resourcesHandlers } from './handlers';
