export { TasksPanel } from './TasksPanel';
