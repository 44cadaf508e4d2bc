import { randomUUID } from 'node:crypto';
import type { AppDocumentView, ToolView } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';
import { protocol } from '../ipc/protocol';
import { isLoopbackHost } from '../net/loopback';
import { assertSafeUrl } from '../net/url-policy';
import type { BrowserOpener } from '../ports';
import type { ServerManager } from '../servers';
import type { CallRecord, CallVia } from '../tools';
import type { CallToolRequest, CallToolResponse } from '../../../shared/contract';
import { AppDocuments } from './app-documents';
import { buildAllow, buildAppCsp } from './csp';

// MCP Apps in the core: reading a tool's ui:// resource (bounded, MIME type
// checked), the frame's CSP and permissions, and every request the app makes,
// each checked against the app's own server and recorded in History under the
// app's name (History's "client" column: "App ui://…").

export const APP_MIME_TYPE = 'text/html;profile=mcp-app';
/** The largest app document accepted (decoded). */
export const MAX_APP_HTML_BYTES = 2 * 1024 * 1024;

export interface AppServiceDeps {
  servers: () => ServerManager;
  callTool: (
    req: CallToolRequest & { arguments: Record<string, unknown>; timeoutMs: number; skipValidation: boolean },
    via: CallVia,
  ) => Promise<CallToolResponse>;
  record: (call: CallRecord) => string;
  serverName: (serverId: string) => string;
  /** A remote server's URL (undefined: stdio, on this machine). */
  serverUrl: (serverId: string) => URL | undefined;
  browser: BrowserOpener;
  /** The origin a server's label is served on (switchboard-app://<label> in the app). */
  frameOrigin: (label: string) => string;
  now: () => number;
}

const normalizeMime = (mime: unknown) => (typeof mime === 'string' ? mime.toLowerCase().replace(/\s+/g, '') : '');

/** Who the app is in History: "App ui://server/view" (bounded for the client filter). */
const appClient = (resourceUri: string) => `App ${resourceUri}`.slice(0, 100);

/** A tool's visibility: the server's list, or the spec's default (both). */
export const visibleToApp = (tool: ToolView | undefined): boolean => Boolean(tool) && (tool!.ui?.visibility ?? ['model', 'app']).includes('app');

export class AppService {
  readonly documents = new AppDocuments();

  constructor(private readonly deps: AppServiceDeps) {}

  private serverIsLocal(serverId: string): boolean {
    const url = this.deps.serverUrl(serverId);
    return !url || isLoopbackHost(url.hostname);
  }

  async open(serverId: string, toolName: string): Promise<AppDocumentView> {
    const servers = this.deps.servers();
    const tool = servers.tools.get(serverId).find((t) => t.name === toolName);
    const resourceUri = tool?.ui?.resourceUri;
    if (!resourceUri) throw new IpcError('NOT_FOUND', `${toolName} has no app (no _meta.ui.resourceUri).`);
    const client = servers.client(serverId);
    const result = await protocol(() => client.readResource({ uri: resourceUri }, { timeout: 30_000 }));
    const contents = Array.isArray(result.contents) ? (result.contents as Record<string, unknown>[]) : [];
    const content = contents.find((c) => c.uri === resourceUri) ?? contents[0];
    if (!content) throw new IpcError('PROTOCOL_ERROR', `The server returned no content for ${resourceUri}.`);
    if (normalizeMime(content.mimeType) !== APP_MIME_TYPE)
      throw new IpcError(
        'PROTOCOL_ERROR',
        `${resourceUri} is not an MCP App: its MIME type is ${JSON.stringify(String(content.mimeType ?? 'missing').slice(0, 100))}, not ${APP_MIME_TYPE}.`,
      );
    const html = decodeHtml(content, resourceUri);
    const meta = (content._meta as { ui?: Record<string, unknown> } | undefined)?.ui;
    const ui = meta && typeof meta === 'object' ? meta : {};
    const { csp, refused: cspRefused } = buildAppCsp(ui.csp as never, this.serverIsLocal(serverId));
    const { allow, refused: allowRefused } = buildAllow(ui.permissions);
    const doc = this.documents.add({ serverId, tool: toolName, resourceUri, html, csp });
    const frameOrigin = this.deps.frameOrigin(doc.label);
    return {
      documentId: doc.documentId,
      serverId,
      tool: toolName,
      resourceUri,
      frameUrl: `${frameOrigin}/${doc.documentId}`,
      frameOrigin,
      csp,
      allow,
      ...(typeof ui.prefersBorder === 'boolean' ? { prefersBorder: ui.prefersBorder } : {}),
      refused: [...cspRefused, ...allowRefused],
    };
  }

  private document(serverId: string, documentId: string) {
    const doc = this.documents.get(documentId);
    // An app speaks only for its own server: a document id from another server is as good as none.
    if (!doc || doc.serverId !== serverId) throw new IpcError('NOT_FOUND', 'This app is no longer open.');
    return doc;
  }

  private audit(
    doc: { serverId: string; resourceUri: string },
    call: Omit<CallRecord, 'serverId' | 'serverName' | 'client' | 'startedAt' | 'durationMs'>,
    startedAt = this.deps.now(),
  ): string {
    return this.deps.record({
      serverId: doc.serverId,
      serverName: this.deps.serverName(doc.serverId),
      client: appClient(doc.resourceUri),
      startedAt,
      durationMs: this.deps.now() - startedAt,
      ...call,
    });
  }

  async callTool(
    serverId: string,
    documentId: string,
    name: string,
    args: Record<string, unknown>,
  ): Promise<{ result: Record<string, unknown>; historyId?: string }> {
    const doc = this.document(serverId, documentId);
    const tool = this.deps
      .servers()
      .tools.get(serverId)
      .find((t) => t.name === name);
    if (!visibleToApp(tool)) {
      const message = tool
        ? `Refused: the app may not call ${name} (its visibility is ${JSON.stringify(tool.ui?.visibility)}, without "app").`
        : `Refused: ${name.slice(0, 200)} is not a tool of this server.`;
      this.audit(doc, { tool: name.slice(0, 1000), arguments: args, status: 'error', error: { code: 'FORBIDDEN', message } });
      throw new IpcError('FORBIDDEN_SENDER', message);
    }
    const response = await this.deps.callTool(
      { serverId, tool: name, arguments: args, callId: `app-${randomUUID()}`, timeoutMs: 60_000, skipValidation: false },
      { client: appClient(doc.resourceUri) },
    );
    if (!response.result) throw new IpcError('PROTOCOL_ERROR', response.error?.message ?? `The call ended: ${response.status}.`);
    return { result: response.result, historyId: response.historyId };
  }

  async readResource(serverId: string, documentId: string, uri: string): Promise<{ result: Record<string, unknown> }> {
    const doc = this.document(serverId, documentId);
    const startedAt = this.deps.now();
    try {
      const result = (await protocol(() => this.deps.servers().client(serverId).readResource({ uri }))) as Record<string, unknown>;
      this.audit(doc, { tool: 'resources/read', arguments: { uri }, result, status: 'ok' }, startedAt);
      return { result };
    } catch (error) {
      this.audit(doc, { tool: 'resources/read', arguments: { uri }, status: 'error', error: { message: (error as Error).message } }, startedAt);
      throw error;
    }
  }

  /** ui/open-link: the URL guard first (as for a URL a server asks the user to visit), then the user's answer. */
  async openLink(serverId: string, documentId: string, url: string, step: 'check' | 'open' | 'decline'): Promise<{ url: string; origin: string }> {
    const doc = this.document(serverId, documentId);
    let target: URL;
    try {
      target = assertSafeUrl(url, 'elicitation', { serverUrl: this.deps.serverUrl(serverId), what: 'to open the link this app asked for' });
    } catch (error) {
      this.audit(doc, { tool: 'ui/open-link', arguments: { url }, status: 'error', error: { code: 'FORBIDDEN', message: (error as Error).message } });
      throw error;
    }
    if (step === 'open') {
      await this.deps.browser.open(target.href);
      this.audit(doc, { tool: 'ui/open-link', arguments: { url: target.href }, status: 'ok', result: { opened: true } });
    } else if (step === 'decline')
      this.audit(doc, { tool: 'ui/open-link', arguments: { url: target.href }, status: 'cancelled', error: { message: 'The user did not open the link.' } });
    return { url: target.href, origin: target.origin };
  }

  /** Something the app did that the renderer handled alone: a ui/message, or a request it refused. */
  note(serverId: string, documentId: string, kind: 'message' | 'refused', method: string, text: string): void {
    const doc = this.document(serverId, documentId);
    this.audit(
      doc,
      kind === 'message'
        ? { tool: method, arguments: { text }, status: 'ok' }
        : { tool: method, arguments: {}, status: 'error', error: { code: 'FORBIDDEN', message: text } },
    );
  }

  close(serverId: string, documentId: string): void {
    if (this.documents.get(documentId)?.serverId === serverId) this.documents.remove(documentId);
  }

  forget(serverId: string): void {
    this.documents.forgetServer(serverId);
  }
}

function decodeHtml(content: Record<string, unknown>, uri: string): string {
  let html: string;
  if (typeof content.text === 'string') {
    if (content.text.length > MAX_APP_HTML_BYTES) throw tooLarge(uri);
    html = content.text;
  } else if (typeof content.blob === 'string') {
    if (content.blob.length > Math.ceil(MAX_APP_HTML_BYTES / 3) * 4 + 4) throw tooLarge(uri);
    html = Buffer.from(content.blob, 'base64').toString('utf8');
  } else throw new IpcError('PROTOCOL_ERROR', `${uri} has neither text nor blob content.`);
  if (Buffer.byteLength(html, 'utf8') > MAX_APP_HTML_BYTES) throw tooLarge(uri);
  return html;
}

const tooLarge = (uri: string) => new IpcError('PROTOCOL_ERROR', `${uri} is larger than ${MAX_APP_HTML_BYTES / 1024 / 1024} MiB; it is not shown.`);
