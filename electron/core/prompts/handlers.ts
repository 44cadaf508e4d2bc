import type { promptMethods } from '../../../shared/contract';
import type { FeatureHandlers } from '../ipc/dispatch';
import type { PromptService } from './prompt-service';

export function promptsHandlers({ prompts }: { prompts: PromptService }): FeatureHandlers<typeof promptMethods> {
  return {
    listPrompts: ({ serverId, cursor }) => prompts.list(serverId, cursor),
    getPrompt: ({ serverId, name, arguments: args }) => prompts.get(serverId, name, args),
  };
}
