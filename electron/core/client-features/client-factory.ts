import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Client, CreateMessageResult, ElicitResult } from '@modelcontextprotocol/client';
import { z } from 'zod';
import type { ProtocolSetting } from '../../../shared/contract';
import type { Emit } from '../events';
import { CLIENT_INFO, EraClient } from '../servers';
import { boundedSdkValidator, type SchemaValidators } from '../tools';
import type { ClientRequests } from './client-requests';
import type { Roots } from './roots';
import type { ServerMessages } from './server-messages';
import { describeUrlElicitation } from './url-elicitation';

const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';
/** MCP Apps: tools may carry a ui:// resource that Switchboard renders in a sandboxed frame (the mcp-apps feature). */
const UI_EXTENSION = 'io.modelcontextprotocol/ui';
const UI_EXTENSION_SETTINGS = { mimeTypes: ['text/html;profile=mcp-app'] };
const TaskStatusParams = z.looseObject({ taskId: z.string().max(200) });

/** What every connection declares (also what the bench's bare SDK client declares, so both ask the server for the same work). */
export const CLIENT_CAPABILITIES = {
  roots: { listChanged: true },
  sampling: {},
  elicitation: { form: { applyDefaults: true }, url: {} },
  // Tasks: the 2025-11-25 utility (we are only ever the requestor) and the 2026-07-28 extension.
  tasks: {},
  extensions: { [TASKS_EXTENSION]: {}, [UI_EXTENSION]: UI_EXTENSION_SETTINGS },
};

// The SDK client every connection uses: it declares roots, sampling and form
// and URL elicitation, answers them through this feature (also when they come
// as an input_required round: the SDK calls the same handlers), and turns a server's
// notifications into server messages and events. Its JSON-schema validator is
// the bounded one (server-supplied schemas must not freeze the core).

export interface ClientFactoryDeps {
  validators: SchemaValidators;
  roots: Roots;
  requests: ClientRequests;
  messages: ServerMessages;
  emit: Emit;
  /** A remote server's URL (URL elicitations from it may not aim at this machine or a private network); undefined for stdio. */
  serverUrl: (serverId: string) => URL | undefined;
  /** tools/list_changed: announced so the tools feature re-lists them (it reports its own failures). */
  onToolListChanged: (serverId: string, client: Client) => Promise<void>;
  /** 2025-11-25 notifications/tasks/status, for the tasks feature. */
  onTaskStatus?: (serverId: string, params: Record<string, unknown>) => void;
  /** Log messages, resource and prompt list changes and resource updates, for the gateway's clients. */
  onNotification?: (serverId: string, method: string, params: Record<string, unknown> | undefined) => void;
  /**
   * Who answers an elicitation or sampling request (the gateway): the downstream client whose call caused it
   * (`result`), or the user, told which gateway client caused it (`clientName`). Undefined: the user, as always.
   */
  route?: (serverId: string, request: { method: string; params: Record<string, unknown> }, signal: AbortSignal) => RouteDecision | undefined;
}

export type RouteDecision = { result: Promise<unknown> } | { clientName?: string };

export function clientFactory(deps: ClientFactoryDeps): (serverId: string, protocol: ProtocolSetting) => Client {
  const { roots, requests, messages, emit } = deps;
  return (serverId, protocol) => {
    // The era follows the server's protocol setting (protocol-era.ts): 'auto' discovers it with
    // server/discover and falls back to initialize for 2025-era servers.
    // On the modern era the SDK answers input_required results (multi-round-trip requests) through
    // the same handlers below, then retries the call itself: one call for its caller, several rounds on the wire.
    const client = new EraClient(
      CLIENT_INFO,
      {
        capabilities: structuredClone(CLIENT_CAPABILITIES),
        jsonSchemaValidator: boundedSdkValidator(deps.validators),
      },
      protocol,
    );
    client.setRequestHandler('roots/list', () => ({
      roots: roots.get(serverId).map((path) => ({ uri: pathToFileURL(path).href, name: basename(path) || path })),
    }));
    client.setRequestHandler('elicitation/create', (request, ctx) => {
      const params = request.params as { mode?: unknown; message?: unknown; requestedSchema?: unknown; url?: unknown; elicitationId?: unknown };
      const routed = deps.route?.(serverId, { method: request.method, params: request.params as Record<string, unknown> }, ctx.mcpReq.signal);
      if (routed && 'result' in routed) return routed.result as Promise<ElicitResult>;
      const clientName = routed?.clientName ? { clientName: routed.clientName } : {};
      if (params.mode === 'url')
        return requests.hold(serverId, ctx.mcpReq.signal, {
          kind: 'elicitation',
          ...clientName,
          ...describeUrlElicitation(params, deps.serverUrl(serverId), 'request'),
        }) as Promise<ElicitResult>;
      return requests.hold(serverId, ctx.mcpReq.signal, {
        kind: 'elicitation',
        ...clientName,
        message: String(params.message ?? ''),
        requestedSchema:
          params.requestedSchema && typeof params.requestedSchema === 'object'
            ? (params.requestedSchema as Record<string, unknown>)
            : { type: 'object', properties: {} },
      }) as Promise<ElicitResult>;
    });
    client.setRequestHandler('sampling/createMessage', (request, ctx) => {
      const p = request.params;
      const routed = deps.route?.(serverId, { method: request.method, params: request.params as Record<string, unknown> }, ctx.mcpReq.signal);
      if (routed && 'result' in routed) return routed.result as Promise<CreateMessageResult>;
      return requests.hold(serverId, ctx.mcpReq.signal, {
        kind: 'sampling',
        ...(routed?.clientName ? { clientName: routed.clientName } : {}),
        message: `${p.messages.length} message(s); up to ${p.maxTokens} tokens`,
        sampling: {
          messages: p.messages.map((m) => ({ role: m.role, content: m.content })),
          systemPrompt: p.systemPrompt,
          maxTokens: p.maxTokens,
          modelPreferences: p.modelPreferences,
        },
      }) as Promise<CreateMessageResult>;
    });
    // 2025-11-25: the out-of-band step of an accepted URL elicitation finished.
    client.setNotificationHandler('notifications/elicitation/complete', (n) => requests.complete(serverId, n.params.elicitationId));
    client.setNotificationHandler('notifications/message', (n) => {
      const data = n.params.data;
      messages.push(serverId, {
        kind: 'log',
        level: n.params.level,
        logger: typeof n.params.logger === 'string' ? n.params.logger : undefined,
        text: typeof data === 'string' ? data : safeJson(data),
        data,
      });
      deps.onNotification?.(serverId, n.method, n.params);
    });
    client.setNotificationHandler('notifications/tools/list_changed', () => {
      messages.push(serverId, { kind: 'list-changed', text: 'tools/list_changed' });
      void deps.onToolListChanged(serverId, client);
    });
    client.setNotificationHandler('notifications/resources/list_changed', (n) => {
      messages.push(serverId, { kind: 'list-changed', text: 'resources/list_changed' });
      emit('listChanged', { serverId, list: 'resources' });
      deps.onNotification?.(serverId, n.method, undefined);
    });
    client.setNotificationHandler('notifications/prompts/list_changed', (n) => {
      messages.push(serverId, { kind: 'list-changed', text: 'prompts/list_changed' });
      emit('listChanged', { serverId, list: 'prompts' });
      deps.onNotification?.(serverId, n.method, undefined);
    });
    // Task status (2025-11-25 wire vocabulary, outside the SDK's typed maps): the explicit-schema form.
    client.setNotificationHandler('notifications/tasks/status', { params: TaskStatusParams }, (params) => deps.onTaskStatus?.(serverId, params));
    client.setNotificationHandler('notifications/resources/updated', (n) => {
      messages.push(serverId, { kind: 'resource-updated', text: `updated: ${n.params.uri}` });
      emit('resourceUpdated', { serverId, uri: n.params.uri });
      deps.onNotification?.(serverId, n.method, { uri: n.params.uri });
    });
    // A closed connection aborts in-flight handlers, which drops their pending requests (see ClientRequests.hold).
    return client;
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
