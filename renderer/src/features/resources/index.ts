export { ResourcesPanel } from './ResourcesPanel';
export { useResources } from './store';
