import type { promptsMethods } from '../../../shared/contract';
import type { FeatureHandlers } from '../ipc/dispatch';
import type { PromptService } from './prompt-service';

export function promptsHandlers({ prompts }: { prompts: PromptService }): FeatureHandlers<typeof promptsMethods> {
  return {
    listPrompts: ({ serverId, cursor }) => prompts.list(serverId, cursor),
    getPrompt: ({ serverId, name, arguments: args }) => prompts.get(serverId, name, args),
  };
}
