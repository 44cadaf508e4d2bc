import { z } from 'zod';
import { method } from './define';
import { OpaqueObject } from './json';
import { ServerId } from './servers';

// MCP Apps (the io.modelcontextprotocol/ui extension): a tool's ui:// resource,
// read by the core and shown in a sandboxed frame on an origin of its server's
// own, and the requests that app makes (each checked and recorded in History).

/** What the renderer needs to show one app document. */
export const AppDocumentView = z.object({
  /** Opaque id of this document; every request the app makes names it. */
  documentId: z.string(),
  serverId: ServerId,
  /** The tool whose call opened it. */
  tool: z.string(),
  resourceUri: z.string(),
  /** Where the frame loads the document: an origin of this server's own (never the renderer's). */
  frameUrl: z.string(),
  frameOrigin: z.string(),
  /** The frame's Content-Security-Policy as sent with the document (shown to the user). */
  csp: z.string(),
  /** The iframe `allow` attribute (known permissions only). */
  allow: z.string(),
  prefersBorder: z.boolean().optional(),
  /** What the server asked for and did not get (refused CSP domains, unknown permissions). */
  refused: z.array(z.string()),
});
export type AppDocumentView = z.infer<typeof AppDocumentView>;

const ByDocument = z.object({ serverId: ServerId, documentId: z.string().min(1).max(100) });

export const mcpAppsMethods = {
  /** Reads the tool's ui:// resource (bounded, MIME type checked) and makes it servable on the server's app origin. */
  openApp: method(z.object({ serverId: ServerId, tool: z.string().min(1).max(1000) }), z.object({ app: AppDocumentView })),
  /** tools/call from the app: only tools whose visibility includes "app", on the app's own server. */
  appCallTool: method(
    ByDocument.extend({ tool: z.string().min(1).max(1000), arguments: OpaqueObject.default({}) }),
    z.object({ result: OpaqueObject, historyId: z.string().optional() }),
  ),
  /** resources/read from the app, on the app's own server. */
  appReadResource: method(ByDocument.extend({ uri: z.string().min(1).max(8192) }), z.object({ result: OpaqueObject })),
  /**
   * ui/open-link from the app. 'check': the URL guard only (the renderer then asks the user);
   * 'open': checked again and opened in the browser; 'decline': the user said no. Each step is recorded.
   */
  appOpenLink: method(
    ByDocument.extend({ url: z.string().max(8192), step: z.enum(['check', 'open', 'decline']) }),
    z.object({ url: z.string(), origin: z.string() }),
  ),
  /** Something the app tried and the renderer refused or showed (ui/message, a blocked request): recorded in History. */
  appNote: method(
    ByDocument.extend({ kind: z.enum(['message', 'refused']), method: z.string().max(200), text: z.string().max(4000) }),
    z.object({ ok: z.literal(true) }),
  ),
  /** The frame is gone: its document is no longer served. */
  closeApp: method(ByDocument, z.object({ ok: z.literal(true) })),
};
