import { z } from 'zod';
import { method } from './define';
import { Cursor, JsonObject } from './json';
import { ServerId } from './servers';

// A server's prompts and getting one with arguments.

export const PromptArgumentView = z.object({ name: z.string(), description: z.string().optional(), required: z.boolean().optional() });
export const PromptView = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  arguments: z.array(PromptArgumentView),
});
export type PromptView = z.infer<typeof PromptView>;

export const PromptMessageView = z.object({ role: z.string(), content: JsonObject });
export type PromptMessageView = z.infer<typeof PromptMessageView>;

export const promptsMethods = {
  listPrompts: method(z.object({ serverId: ServerId, cursor: Cursor }), z.object({ prompts: z.array(PromptView), nextCursor: z.string().optional() })),
  getPrompt: method(
    z.object({ serverId: ServerId, name: z.string().max(1000), arguments: z.record(z.string(), z.string().max(100_000)).default({}) }),
    z.object({ description: z.string().optional(), messages: z.array(PromptMessageView) }),
  ),
};
