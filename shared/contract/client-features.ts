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

/**
 * URL-mode elicitation: a server asks the user to visit a URL (third-party sign-in, payment).
 * Nothing opens before the user consents; the core checks the URL with the URL policy
 * ('elicitation' purpose) when it arrives and again before opening it.
 */
export const UrlElicitationView = z.object({
  /** The URL as it will be opened (IDN hosts in punycode), or, when refused, a bounded and sanitized rendering of what the server sent. */
  url: z.string().max(8192),
  /** https://host[:port], ASCII (punycode for IDN hosts): what the user should judge. */
  origin: z.string().max(600).optional(),
  /** The host in Unicode, only when it differs from the ASCII host (an IDN). */
  unicodeHost: z.string().max(600).optional(),
  /** 2025-11-25 servers: the id a later notifications/elicitation/complete names. None on 2026-07-28. */
  elicitationId: z.string().max(256).optional(),
  /** Why Switchboard will not open this URL (the user can only decline). */
  refused: z.string().max(1000).optional(),
  /** 'request': an elicitation/create (or an input_required round); 'error': a -32042 error on a call the user made. */
  source: z.enum(['request', 'error']),
});
export type UrlElicitationView = z.infer<typeof UrlElicitationView>;

export const ClientRequestView = z.object({
  requestId: z.string(),
  serverId: z.string(),
  serverName: z.string(),
  kind: z.enum(['elicitation', 'sampling']),
  receivedAt: z.number(),
  /** The gateway client whose call was running when the server asked (several names joined with "or" when more than one could have caused it). */
  clientName: z.string().max(1000).optional(),
  /** For elicitation: the message; for sampling: a summary. */
  message: z.string(),
  /** Elicitation: the requested JSON Schema (flat object of primitives). */
  requestedSchema: JsonObject.optional(),
  /** URL-mode elicitation (then there is no requestedSchema). */
  urlElicitation: UrlElicitationView.optional(),
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
  /** URL mode: 'accept' opens the URL in the browser first (VALIDATION when the URL is refused), then answers. */
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
  /** notifications/elicitation/complete for a URL elicitation the user accepted (2025-11-25 servers). */
  urlElicitationComplete: event(z.object({ requestId: z.string(), serverId: z.string() })),
  clientRequestDone: event(z.object({ requestId: z.string(), reason: z.enum(['answered', 'cancelled-by-server', 'disconnected']) })),
};
