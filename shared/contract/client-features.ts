import { z } from 'zod';
import { event, method } from './define';
import { ByServer, Json, JsonObject, Ok } from './json';
import { ServerId } from './servers';

// What the client offers a server: roots, logging (level and the messages and
// notifications a server sends), and elicitation and sampling requests the
// user answers.

export const LogLevel = z.enum(['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency']);
export type LogLevel = z.infer<typeof LogLevel>;

export const ServerMessage = z.object({
  seq: z.number().int(),
  ts: z.number(),
  kind: z.enum(['log', 'list-changed', 'resource-updated', 'progress', 'other']),
  level: z.string().optional(),
  logger: z.string().optional(),
  /** A short human-readable line. */
  text: z.string(),
  data: Json.optional(),
});
export type ServerMessage = z.infer<typeof ServerMessage>;

export const ClientRequestView = z.object({
  requestId: z.string(),
  serverId: z.string(),
  serverName: z.string(),
  kind: z.enum(['elicitation', 'sampling']),
  receivedAt: z.number(),
  /** For elicitation: the message; for sampling: a summary. */
  message: z.string(),
  /** Elicitation: the requested JSON Schema (flat object of primitives). */
  requestedSchema: JsonObject.optional(),
  /** Sampling: the conversation the server wants completed, plus its preferences. */
  sampling: z
    .object({
      messages: z.array(z.object({ role: z.string(), content: Json })),
      systemPrompt: z.string().optional(),
      maxTokens: z.number().optional(),
      modelPreferences: Json.optional(),
    })
    .optional(),
});
export type ClientRequestView = z.infer<typeof ClientRequestView>;

export const RootsView = z.object({ serverId: z.string(), paths: z.array(z.string()) });

export const clientFeaturesMethods = {
  setLogLevel: method(z.object({ serverId: ServerId, level: LogLevel }), Ok),
  getServerMessages: method(ByServer, z.object({ messages: z.array(ServerMessage), level: LogLevel.optional() })),
  getRoots: method(ByServer, RootsView),
  /** Absolute paths of existing directories; VALIDATION with `paths.N` field errors otherwise. */
  setRoots: method(z.object({ serverId: ServerId, paths: z.array(z.string().max(4096)).max(100) }), RootsView),
  listClientRequests: method(z.object({}), z.object({ requests: z.array(ClientRequestView) })),
  answerElicitation: method(
    z.object({ requestId: z.string(), action: z.enum(['accept', 'decline', 'cancel']), content: z.record(z.string(), z.unknown()).optional() }),
    Ok,
  ),
  answerSampling: method(z.object({ requestId: z.string(), action: z.enum(['reply', 'decline']), text: z.string().max(1_000_000).optional() }), Ok),
};

export const clientFeaturesEvents = {
  /** resources / prompts / tools list_changed from a server. */
  listChanged: event(z.object({ serverId: z.string(), list: z.enum(['tools', 'resources', 'prompts']) })),
  serverMessages: event(z.object({ serverId: z.string(), messages: z.array(ServerMessage) })),
  clientRequest: event(ClientRequestView),
  clientRequestDone: event(z.object({ requestId: z.string(), reason: z.enum(['answered', 'cancelled-by-server', 'disconnected']) })),
};
