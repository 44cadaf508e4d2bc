export { TrafficPanel } from './TrafficPanel';
export { useTraffic } from './store';
