import type { PromptView } from '../../../shared/contract';
import { protocol } from '../ipc/protocol';
import type { ServerManager } from '../servers';

// A server's prompts, and getting one with the user's arguments.

const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export class PromptService {
  constructor(private readonly servers: () => ServerManager) {}

  async list(serverId: string, cursor?: string): Promise<{ prompts: PromptView[]; nextCursor?: string }> {
    const result = await protocol(() =>
      this.servers()
        .client(serverId)
        .listPrompts(cursor ? { cursor } : undefined),
    );
    return {
      prompts: result.prompts.map((p) => ({
        name: p.name,
        title: asString(p.title),
        description: asString(p.description),
        arguments: (p.arguments ?? []).map((a) => ({ name: a.name, description: asString(a.description), required: a.required === true })),
      })),
      nextCursor: asString(result.nextCursor),
    };
  }

  async get(serverId: string, name: string, args: Record<string, string>) {
    const result = await protocol(() => this.servers().client(serverId).getPrompt({ name, arguments: args }));
    return {
      description: asString(result.description),
      messages: result.messages.map((m) => ({ role: m.role, content: m.content as Record<string, unknown> })),
    };
  }
}
