export { PromptsPanel } from './PromptsPanel';
export { usePrompts } from './store';
