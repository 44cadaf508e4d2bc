import type { ClientRequests } from '../client-features';

// A 2026 task's input request (an embedded elicitation/create or
// sampling/createMessage) answered in the same dialog as an ordinary request.

type Wire = Record<string, unknown>;

export async function answerInputRequest(requests: ClientRequests, serverId: string, signal: AbortSignal, request: unknown): Promise<unknown> {
  const r = (request && typeof request === 'object' ? request : {}) as Wire;
  const params = (r.params && typeof r.params === 'object' ? r.params : {}) as Wire;
  if (r.method === 'elicitation/create') {
    return requests.hold(serverId, signal, {
      kind: 'elicitation',
      message: String(params.message ?? '').slice(0, 10_000),
      requestedSchema:
        params.requestedSchema && typeof params.requestedSchema === 'object' ? (params.requestedSchema as Wire) : { type: 'object', properties: {} },
    });
  }
  if (r.method === 'sampling/createMessage') {
    const messages = Array.isArray(params.messages) ? (params.messages as Wire[]).slice(0, 100) : [];
    const maxTokens = typeof params.maxTokens === 'number' ? params.maxTokens : 0;
    return requests.hold(serverId, signal, {
      kind: 'sampling',
      message: `${messages.length} message(s); up to ${maxTokens} tokens`,
      sampling: {
        messages: messages.map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content })),
        systemPrompt: typeof params.systemPrompt === 'string' ? params.systemPrompt : undefined,
        maxTokens,
        modelPreferences: params.modelPreferences as never,
      },
    });
  }
  throw new Error(`This task asks for ${typeof r.method === 'string' ? r.method.slice(0, 100) : 'an unknown request'}, which Switchboard does not answer.`);
}
