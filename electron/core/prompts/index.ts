export { PromptService } from './prompt-service';
export { promptsHandlers } from './handlers';
