export { TrafficPanel } from './TrafficPanel';
export { useTraffic } from './store';
export { trafficCommands } from './commands';
