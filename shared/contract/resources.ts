import { z } from 'zod';
import { event, method } from './define';
import { ByServer, Cursor, Ok } from './json';
import { ServerId } from './servers';

// A server's resources and resource templates, reading them, and subscriptions.

export const ResourceView = z.object({
  uri: z.string(),
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  mimeType: z.string().optional(),
  size: z.number().optional(),
});
export type ResourceView = z.infer<typeof ResourceView>;

export const ResourceTemplateView = z.object({
  uriTemplate: z.string(),
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  mimeType: z.string().optional(),
  /** RFC 6570 variable names, parsed in the core. */
  variables: z.array(z.string()),
});
export type ResourceTemplateView = z.infer<typeof ResourceTemplateView>;

export const ResourceContentView = z.object({
  uri: z.string(),
  mimeType: z.string().optional(),
  text: z.string().optional(),
  /** base64 */
  blob: z.string().optional(),
});
export type ResourceContentView = z.infer<typeof ResourceContentView>;

export const resourcesMethods = {
  listResources: method(z.object({ serverId: ServerId, cursor: Cursor }), z.object({ resources: z.array(ResourceView), nextCursor: z.string().optional() })),
  listResourceTemplates: method(
    z.object({ serverId: ServerId, cursor: Cursor }),
    z.object({ templates: z.array(ResourceTemplateView), nextCursor: z.string().optional() }),
  ),
  /** Give either `uri`, or `uriTemplate` with `variables` (expanded in the core per RFC 6570). */
  readResource: method(
    z.object({
      serverId: ServerId,
      uri: z.string().max(100_000).optional(),
      uriTemplate: z.string().max(100_000).optional(),
      variables: z.record(z.string(), z.string().max(100_000)).optional(),
    }),
    z.object({ uri: z.string(), contents: z.array(ResourceContentView) }),
  ),
  subscribeResource: method(z.object({ serverId: ServerId, uri: z.string().max(100_000) }), Ok),
  unsubscribeResource: method(z.object({ serverId: ServerId, uri: z.string().max(100_000) }), Ok),
  listSubscriptions: method(ByServer, z.object({ uris: z.array(z.string()) })),
};

export const resourcesEvents = {
  resourceUpdated: event(z.object({ serverId: z.string(), uri: z.string() })),
};
