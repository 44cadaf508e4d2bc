import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { UriTemplate } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ErrorCode as McpErrorCode,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  McpError,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
  type CreateMessageResult,
  type ElicitResult,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type {
  CallToolRequest,
  CallToolResponse,
  ClientRequestView,
  HistoryQueryRequest,
  LogLevel,
  PromptView,
  ResourceContentView,
  ResourceTemplateView,
  ResourceView,
  ServerMessage,
  StructuredCheck,
  ToolDiff,
  ToolView,
} from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';
import type { Emit } from '../events';
import { HistoryStore } from '../history/history-store';
import type { KeyValueStore } from '../ports';
import { CLIENT_INFO, listAllTools, type ServerManager } from '../servers/server-manager';
import { wrapTransport as recordTransport } from '../traffic/recording-transport';
import type { KnownSecrets } from '../traffic/known-secrets';
import { TrafficRecorder } from '../traffic/traffic-recorder';
import { IdleDrain } from './idle-drain';
import { SnapshotStore } from './snapshot-store';
import { boundedSdkValidator, describeFieldErrors, SchemaValidators } from './schema-validate';
import { diffTools } from './tool-diff';

// The inspector's core side: tool calls (validated, cancellable, timed out,
// recorded), resources, prompts, and the client features a server may use
// (roots, elicitation, sampling, logging). Owns the history store and the
// traffic recorder and wires them into every connection through the
// ServerManager hooks.

export const HISTORY_DIR = 'history';
const ROOTS_KEY = 'inspectRoots';
const MAX_MESSAGES = 1000;
const EVENT_THROTTLE_MS = 150;

export interface InspectDeps {
  servers: () => ServerManager;
  store: KeyValueStore;
  emit: Emit;
  dataDir: string;
  now?: () => number;
  /** Overrides for tests. */
  historyDir?: string;
  /** Secret values injected into each server, scrubbed from its traffic and history. */
  secrets?: KnownSecrets;
}


interface PendingRequest {
  view: ClientRequestView;
  resolve(value: ElicitResult | CreateMessageResult): void;
  reject(error: Error): void;
}

interface ServerMessages {
  items: ServerMessage[];
  pending: ServerMessage[];
  level?: LogLevel;
}

/** Anything with a JSON-RPC result shape; the inspector shows what the server sent, not what the SDK would accept. */
const LooseResult = z.looseObject({});

const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const asNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export class InspectService {
  readonly history: HistoryStore;
  readonly traffic: TrafficRecorder;
  readonly validators = new SchemaValidators();
  private readonly historyReady: Promise<void>;
  private historyError?: Error;
  private readonly now: () => number;
  private readonly calls = new Map<string, { controller: AbortController; cancelled: boolean }>();
  private readonly snapshots: SnapshotStore;
  private readonly pending = new Map<string, PendingRequest>();
  private readonly messages = new Map<string, ServerMessages>();
  private readonly subscriptions = new Map<string, Set<string>>();
  private readonly diffs = new Map<string, ToolDiff>();
  /** Server names for history records, refreshed on every connect (building a full view per call is slow). */
  private readonly names = new Map<string, string>();
  private readonly unrecorded: Parameters<HistoryStore['append']>[0][] = [];
  /** Messages observed on stdio transports, recorded in batches off the call path (see wrapTransport). */
  private readonly unrecordedTraffic: [serverId: string, direction: 'in' | 'out', message: unknown, ts: number][] = [];
  private readonly trafficDrain = new IdleDrain({ drain: () => this.recordQueuedTraffic(), queued: () => this.unrecordedTraffic.length, busy: () => this.calls.size > 0 });
  private readonly historyDrain = new IdleDrain({ drain: () => void this.drainRecords(), queued: () => this.unrecorded.length, busy: () => this.calls.size > 0, delayMs: 50 });
  /**
   * Tool lists per live client. ServerManager.listTools re-reads the settings
   * file on every call (conf has no cache), which would dominate a tool call.
   * Refreshed on connect and list_changed; a different client means reconnected.
   */
  private readonly toolCache = new Map<string, { client: Client; tools: ToolView[] }>();
  private messageSeq = 0;
  private messageTimer?: NodeJS.Timeout;
  private historyTimer?: NodeJS.Timeout;
  private historyCount = 0;
  private trafficTimer?: NodeJS.Timeout;
  private readonly trafficLast = new Map<string, number>();
  private closed = false;

  constructor(private readonly deps: InspectDeps) {
    this.now = deps.now ?? Date.now;
    this.traffic = new TrafficRecorder({ secrets: deps.secrets });
    this.snapshots = new SnapshotStore(join(deps.dataDir, 'tool-snapshots'));
    this.history = new HistoryStore({ dir: deps.historyDir ?? join(deps.dataDir, HISTORY_DIR), onError: (error) => (this.historyError = error), secrets: deps.secrets });
    this.historyReady = this.history.open().catch((error: Error) => {
      this.historyError = error;
    });
    this.history.onAppend(() => {
      this.historyCount++;
      this.historyTimer ??= setTimeout(() => {
        this.historyTimer = undefined;
        const count = this.historyCount;
        this.historyCount = 0;
        if (!this.closed) this.deps.emit('historyAppended', { count, total: this.history.size });
      }, EVENT_THROTTLE_MS);
    });
    this.traffic.onEntry((entry) => {
      this.trafficLast.set(entry.serverId, entry.seq);
      this.trafficTimer ??= setTimeout(() => {
        this.trafficTimer = undefined;
        const servers = [...this.trafficLast].map(([serverId, lastSeq]) => ({ serverId, lastSeq }));
        this.trafficLast.clear();
        if (!this.closed) this.deps.emit('trafficAppended', { servers });
      }, EVENT_THROTTLE_MS);
    });
  }

  ready(): Promise<void> {
    return this.historyReady;
  }

  // ---- ServerManager hooks ------------------------------------------------

  /** A client that declares roots, sampling and form elicitation, with our handlers on it. */
  createClient(serverId: string): Client {
    const client = new Client(CLIENT_INFO, {
      capabilities: { roots: { listChanged: true }, sampling: {}, elicitation: { form: { applyDefaults: true } } },
      jsonSchemaValidator: boundedSdkValidator(this.validators),
    });
    client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: this.roots(serverId).map((path) => ({ uri: pathToFileURL(path).href, name: basename(path) || path })) }));
    client.setRequestHandler(ElicitRequestSchema, (request, extra) => {
      const params = request.params as { message?: unknown; requestedSchema?: unknown };
      return this.hold(serverId, extra.signal, {
        kind: 'elicitation',
        message: String(params.message ?? ''),
        requestedSchema: params.requestedSchema && typeof params.requestedSchema === 'object' ? (params.requestedSchema as Record<string, unknown>) : { type: 'object', properties: {} },
      }) as Promise<ElicitResult>;
    });
    client.setRequestHandler(CreateMessageRequestSchema, (request, extra) => {
      const p = request.params;
      return this.hold(serverId, extra.signal, {
        kind: 'sampling',
        message: `${p.messages.length} message(s); up to ${p.maxTokens} tokens`,
        sampling: { messages: p.messages.map((m) => ({ role: m.role, content: m.content })), systemPrompt: p.systemPrompt, maxTokens: p.maxTokens, modelPreferences: p.modelPreferences },
      }) as Promise<CreateMessageResult>;
    });
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      const data = n.params.data;
      this.pushMessage(serverId, { kind: 'log', level: n.params.level, logger: asString(n.params.logger), text: typeof data === 'string' ? data : safeJson(data), data });
    });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      this.pushMessage(serverId, { kind: 'list-changed', text: 'tools/list_changed' });
      void this.refreshTools(serverId, client);
    });
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
      this.pushMessage(serverId, { kind: 'list-changed', text: 'resources/list_changed' });
      this.deps.emit('listChanged', { serverId, list: 'resources' });
    });
    client.setNotificationHandler(PromptListChangedNotificationSchema, () => {
      this.pushMessage(serverId, { kind: 'list-changed', text: 'prompts/list_changed' });
      this.deps.emit('listChanged', { serverId, list: 'prompts' });
    });
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      this.pushMessage(serverId, { kind: 'resource-updated', text: `updated: ${n.params.uri}` });
      this.deps.emit('resourceUpdated', { serverId, uri: n.params.uri });
    });
    // A closed connection aborts in-flight handlers, which drops their pending requests (see hold).
    return client;
  }

  wrapTransport(serverId: string, transport: Transport): Transport {
    // Capture the time now; redact, pair and store in a batch a moment later, off the call path.
    return recordTransport(transport, (direction, message) => {
      this.unrecordedTraffic.push([serverId, direction, message, this.now()]);
      this.trafficDrain.schedule();
    });
  }

  /** Records queued traffic; every traffic read calls it first. */
  drainTraffic(): void {
    this.trafficDrain.flush();
  }

  private recordQueuedTraffic(): void {
    for (const [serverId, direction, message, ts] of this.unrecordedTraffic.splice(0)) this.traffic.recordMessage(serverId, direction, message, ts);
  }

  async onConnected(serverId: string, _client: Client): Promise<void> {
    this.subscriptions.delete(serverId);
    this.names.set(serverId, (await this.deps.servers().get(serverId)).name);
    this.toolCache.set(serverId, { client: _client, tools: this.deps.servers().listTools(serverId) });
    this.checkTools(serverId, this.deps.servers().listTools(serverId));
  }

  // ---- tools ------------------------------------------------------------------

  validateArguments(serverId: string, toolName: string, args: unknown): { valid: boolean; fieldErrors: Record<string, string> } {
    const tool = this.tools(serverId, this.deps.servers().client(serverId)).find((t) => t.name === toolName);
    if (!tool) throw new IpcError('NOT_FOUND', `The server has no tool named "${toolName.slice(0, 200)}".`);
    const check = this.validators.check(tool.inputSchema, args);
    return { valid: check.valid, fieldErrors: check.fieldErrors };
  }

  async callTool(req: z.output<typeof import('../../../shared/contract').CallToolRequest>): Promise<CallToolResponse> {
    const servers = this.deps.servers();
    const client = servers.client(req.serverId);
    const serverName = this.names.get(req.serverId) ?? (await servers.get(req.serverId)).name;
    const tool = this.tools(req.serverId, client).find((t) => t.name === req.tool);
    let inputUnchecked: string[] | undefined;
    if (!req.skipValidation && tool) {
      const check = this.validators.check(tool.inputSchema, req.arguments);
      if (!check.valid) throw new IpcError('VALIDATION', `The arguments do not match the input schema of ${req.tool}: ${describeFieldErrors(check.fieldErrors).join('; ')}`, check.fieldErrors);
      // What could not be checked safely does not stop the call; the result says so.
      const skipped = [...(check.schemaError ? [check.schemaError] : []), ...(check.unchecked ?? [])];
      if (skipped.length > 0) inputUnchecked = skipped;
    }
    if (this.calls.has(req.callId)) throw new IpcError('CONFLICT', 'A call with this id is already running.');
    const call = { controller: new AbortController(), cancelled: false };
    this.calls.set(req.callId, call);
    const startedAt = this.now();
    const t0 = performance.now();
    let status: CallToolResponse['status'];
    let result: Record<string, unknown> | undefined;
    let error: CallToolResponse['error'];
    let structured: StructuredCheck | undefined;
    try {
      result = (await client.request({ method: 'tools/call', params: { name: req.tool, arguments: req.arguments } }, LooseResult, {
        signal: call.controller.signal,
        timeout: req.timeoutMs,
        onprogress: (p) => this.deps.emit('toolProgress', { serverId: req.serverId, callId: req.callId, progress: p.progress, total: asNumber(p.total), message: asString((p as { message?: unknown }).message) }),
      })) as Record<string, unknown>;
      status = result.isError === true ? 'tool-error' : 'ok';
      structured = this.checkStructured(tool, result);
    } catch (e) {
      if (call.cancelled) {
        status = 'cancelled';
        error = { message: 'Cancelled by the user.' };
      } else if (e instanceof McpError && e.code === McpErrorCode.RequestTimeout) {
        status = 'timeout';
        error = { code: e.code, message: `No answer within ${Math.round(req.timeoutMs / 100) / 10} s.` };
      } else if (e instanceof IpcError && (e.code === 'AUTH_REQUIRED' || e.code === 'STEP_UP_REQUIRED')) {
        // A 401 the refresh could not fix, or a 403 insufficient_scope: the user can sign in / grant more right here.
        status = 'error';
        error = { code: e.code, message: e.message };
      } else {
        status = 'error';
        error = { code: e instanceof McpError ? e.code : undefined, message: (e as Error)?.message ?? String(e) };
      }
    } finally {
      this.calls.delete(req.callId);
    }
    const durationMs = performance.now() - t0;
    const historyId = this.record({ serverId: req.serverId, serverName, tool: req.tool, arguments: req.arguments, result, error, status, startedAt, durationMs });
    return { callId: req.callId, status, durationMs, result, error, structured, inputUnchecked, historyId };
  }

  private tools(serverId: string, client: Client): ToolView[] {
    const cached = this.toolCache.get(serverId);
    if (cached?.client === client) return cached.tools;
    const tools = this.deps.servers().listTools(serverId);
    this.toolCache.set(serverId, { client, tools });
    return tools;
  }

  cancel(callId: string): boolean {
    const call = this.calls.get(callId);
    if (!call) return false;
    call.cancelled = true;
    call.controller.abort('Cancelled by the user.');
    return true;
  }

  private checkStructured(tool: ToolView | undefined, result: Record<string, unknown>): StructuredCheck | undefined {
    const hasSchema = Boolean(tool?.outputSchema);
    if (!hasSchema) return result.structuredContent === undefined ? undefined : { hasSchema, valid: true, errors: [] };
    if (result.isError === true) return { hasSchema, valid: true, errors: [] };
    if (result.structuredContent === undefined) return { hasSchema, valid: false, errors: ['The tool declares an output schema but returned no structuredContent.'] };
    const check = this.validators.check(tool!.outputSchema, result.structuredContent);
    if (check.schemaError) return { hasSchema, valid: false, errors: [check.schemaError] };
    return { hasSchema, valid: check.valid, errors: describeFieldErrors(check.fieldErrors), ...(check.unchecked ? { unchecked: check.unchecked } : {}) };
  }

  /**
   * Queues the record and returns its id; the append (redaction, indexing)
   * runs in batches a moment later, so it never sits between a server's answer
   * and the caller. Every history read drains the queue first, so a caller
   * never misses its own call.
   */
  private record(input: Parameters<HistoryStore['append']>[0]): string {
    const id = randomUUID();
    this.unrecorded.push({ ...input, id });
    this.historyDrain.schedule();
    return id;
  }

  private async drainRecords(): Promise<void> {
    this.historyDrain.cancel();
    await this.historyReady;
    for (const input of this.unrecorded.splice(0)) {
      try {
        this.history.append(input);
      } catch (error) {
        this.historyError = error as Error;
      }
    }
  }

  // ---- tool snapshots and drift ----------------------------------------------

  private checkTools(serverId: string, tools: ToolView[]): void {
    const snapshot = this.snapshots.get(serverId);
    if (!snapshot) {
      this.snapshots.set(serverId, { takenAt: this.now(), tools });
      this.setDiff(serverId, null);
      return;
    }
    const changes = diffTools(snapshot.tools, tools);
    this.setDiff(serverId, changes.length ? { serverId, snapshotAt: snapshot.takenAt, changes } : null);
  }

  private setDiff(serverId: string, diff: ToolDiff | null): void {
    const had = this.diffs.has(serverId);
    if (diff) this.diffs.set(serverId, diff);
    else this.diffs.delete(serverId);
    if (diff || had) this.deps.emit('toolDiffChanged', { serverId, diff });
  }

  getDiff(serverId: string): ToolDiff | null {
    return this.diffs.get(serverId) ?? null;
  }

  acknowledge(serverId: string): void {
    const tools = this.deps.servers().listTools(serverId);
    this.snapshots.set(serverId, { takenAt: this.now(), tools });
    this.setDiff(serverId, null);
  }

  private async refreshTools(serverId: string, client: Client): Promise<void> {
    try {
      const tools = await listAllTools(client);
      this.deps.servers().setTools(serverId, tools);
      const views = this.deps.servers().listTools(serverId);
      this.toolCache.set(serverId, { client, tools: views });
      this.checkTools(serverId, views);
      this.deps.emit('listChanged', { serverId, list: 'tools' });
    } catch (error) {
      this.pushMessage(serverId, { kind: 'other', text: `tools/list after list_changed failed: ${(error as Error).message}` });
    }
  }

  // ---- resources and prompts ---------------------------------------------------

  async listResources(serverId: string, cursor?: string): Promise<{ resources: ResourceView[]; nextCursor?: string }> {
    const result = await this.protocol(() => this.deps.servers().client(serverId).listResources(cursor ? { cursor } : undefined));
    return {
      resources: result.resources.map((r) => ({ uri: r.uri, name: r.name, title: asString(r.title), description: asString(r.description), mimeType: asString(r.mimeType), size: asNumber((r as { size?: unknown }).size) })),
      nextCursor: asString(result.nextCursor),
    };
  }

  async listTemplates(serverId: string, cursor?: string): Promise<{ templates: ResourceTemplateView[]; nextCursor?: string }> {
    const result = await this.protocol(() => this.deps.servers().client(serverId).listResourceTemplates(cursor ? { cursor } : undefined));
    return {
      templates: result.resourceTemplates.map((t) => ({ uriTemplate: t.uriTemplate, name: t.name, title: asString(t.title), description: asString(t.description), mimeType: asString(t.mimeType), variables: templateVariables(t.uriTemplate) })),
      nextCursor: asString(result.nextCursor),
    };
  }

  async readResource(serverId: string, req: { uri?: string; uriTemplate?: string; variables?: Record<string, string> }): Promise<{ uri: string; contents: ResourceContentView[] }> {
    let uri = req.uri;
    if (!uri && req.uriTemplate) {
      try {
        uri = new UriTemplate(req.uriTemplate).expand(req.variables ?? {});
      } catch (error) {
        throw new IpcError('VALIDATION', `The URI template could not be expanded: ${(error as Error).message}`, { uriTemplate: (error as Error).message });
      }
    }
    if (!uri) throw new IpcError('VALIDATION', 'Give a resource URI.', { uri: 'A URI is required.' });
    const target = uri;
    const result = await this.protocol(() => this.deps.servers().client(serverId).readResource({ uri: target }));
    return {
      uri: target,
      contents: result.contents.map((c) => {
        const item = c as { uri: string; mimeType?: unknown; text?: unknown; blob?: unknown };
        return { uri: item.uri, mimeType: asString(item.mimeType), text: asString(item.text), blob: asString(item.blob) };
      }),
    };
  }

  async subscribe(serverId: string, uri: string, on: boolean): Promise<void> {
    const client = this.deps.servers().client(serverId);
    await this.protocol(() => (on ? client.subscribeResource({ uri }) : client.unsubscribeResource({ uri })));
    const set = this.subscriptions.get(serverId) ?? new Set<string>();
    if (on) set.add(uri);
    else set.delete(uri);
    this.subscriptions.set(serverId, set);
  }

  subscribed(serverId: string): string[] {
    return [...(this.subscriptions.get(serverId) ?? [])];
  }

  async listPrompts(serverId: string, cursor?: string): Promise<{ prompts: PromptView[]; nextCursor?: string }> {
    const result = await this.protocol(() => this.deps.servers().client(serverId).listPrompts(cursor ? { cursor } : undefined));
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

  async getPrompt(serverId: string, name: string, args: Record<string, string>) {
    const result = await this.protocol(() => this.deps.servers().client(serverId).getPrompt({ name, arguments: args }));
    return { description: asString(result.description), messages: result.messages.map((m) => ({ role: m.role, content: m.content as Record<string, unknown> })) };
  }

  // ---- logging and server messages ---------------------------------------------

  async setLogLevel(serverId: string, level: LogLevel): Promise<void> {
    await this.protocol(() => this.deps.servers().client(serverId).setLoggingLevel(level));
    this.serverMessages(serverId).level = level;
  }

  getMessages(serverId: string): { messages: ServerMessage[]; level?: LogLevel } {
    const m = this.serverMessages(serverId);
    return { messages: [...m.items], level: m.level };
  }

  private serverMessages(serverId: string): ServerMessages {
    let m = this.messages.get(serverId);
    if (!m) {
      m = { items: [], pending: [] };
      this.messages.set(serverId, m);
    }
    return m;
  }

  private pushMessage(serverId: string, message: Omit<ServerMessage, 'seq' | 'ts'>): void {
    const m = this.serverMessages(serverId);
    const full: ServerMessage = { seq: ++this.messageSeq, ts: this.now(), ...message, text: message.text.slice(0, 10_000) };
    m.items.push(full);
    if (m.items.length > MAX_MESSAGES) m.items.splice(0, m.items.length - MAX_MESSAGES);
    m.pending.push(full);
    if (m.pending.length > MAX_MESSAGES) m.pending.splice(0, m.pending.length - MAX_MESSAGES);
    this.messageTimer ??= setTimeout(() => {
      this.messageTimer = undefined;
      for (const [id, sm] of this.messages) {
        if (!sm.pending.length || this.closed) continue;
        this.deps.emit('serverMessages', { serverId: id, messages: sm.pending.splice(0) });
      }
    }, EVENT_THROTTLE_MS);
  }

  // ---- roots ------------------------------------------------------------------------

  roots(serverId: string): string[] {
    const all = this.deps.store.get(ROOTS_KEY);
    const list = all && typeof all === 'object' ? (all as Record<string, unknown>)[serverId] : undefined;
    return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [];
  }

  async setRoots(serverId: string, paths: string[]): Promise<string[]> {
    await this.deps.servers().get(serverId); // NOT_FOUND for unknown servers
    const errors: Record<string, string> = {};
    const clean: string[] = [];
    paths.forEach((raw, i) => {
      const path = raw.trim();
      if (!path) return;
      if (!isAbsolute(path)) return void (errors[`paths.${i}`] = 'Use an absolute path.');
      let isDir = false;
      try {
        isDir = statSync(path).isDirectory();
      } catch {
        return void (errors[`paths.${i}`] = 'This folder does not exist.');
      }
      if (!isDir) return void (errors[`paths.${i}`] = 'This is a file, not a folder.');
      const normalized = resolve(path);
      if (!clean.includes(normalized)) clean.push(normalized);
    });
    if (Object.keys(errors).length) throw new IpcError('VALIDATION', 'Some roots are not usable folders.', errors);
    const all = this.deps.store.get(ROOTS_KEY);
    this.deps.store.set(ROOTS_KEY, { ...(all && typeof all === 'object' ? all : {}), [serverId]: clean });
    try {
      await this.deps.servers().client(serverId).sendRootsListChanged();
    } catch {
      /* not connected: the server reads them on its next roots/list */
    }
    return clean;
  }

  // ---- server -> client requests -------------------------------------------------------

  private async hold(serverId: string, signal: AbortSignal, request: Pick<ClientRequestView, 'kind' | 'message' | 'requestedSchema' | 'sampling'>): Promise<ElicitResult | CreateMessageResult> {
    const requestId = randomUUID();
    const serverName = await this.deps
      .servers()
      .get(serverId)
      .then((s) => s.name, () => serverId);
    if (signal.aborted) throw new Error('Cancelled by the server.');
    return new Promise((resolvePromise, reject) => {
      const view: ClientRequestView = { requestId, serverId, serverName, receivedAt: this.now(), ...request };
      this.pending.set(requestId, { view, resolve: resolvePromise, reject });
      signal.addEventListener('abort', () => {
        if (this.pending.delete(requestId)) {
          reject(new Error('Cancelled by the server or the connection closed.'));
          this.deps.emit('clientRequestDone', { requestId, reason: 'cancelled-by-server' });
        }
      });
      this.deps.emit('clientRequest', view);
    });
  }

  listRequests(): ClientRequestView[] {
    return [...this.pending.values()].map((p) => p.view);
  }

  answerElicitation(requestId: string, action: 'accept' | 'decline' | 'cancel', content?: Record<string, unknown>): void {
    const p = this.pending.get(requestId);
    if (!p || p.view.kind !== 'elicitation') throw new IpcError('NOT_FOUND', 'This request is no longer waiting for an answer.');
    if (action === 'accept') {
      const check = this.validators.check(p.view.requestedSchema ?? { type: 'object' }, content ?? {});
      if (!check.valid) throw new IpcError('VALIDATION', `The answer does not match what the server asked for: ${describeFieldErrors(check.fieldErrors).join('; ')}`, check.fieldErrors);
    }
    this.pending.delete(requestId);
    p.resolve(action === 'accept' ? { action, content: (content ?? {}) as ElicitResult['content'] } : { action });
    this.deps.emit('clientRequestDone', { requestId, reason: 'answered' });
  }

  answerSampling(requestId: string, action: 'reply' | 'decline', text?: string): void {
    const p = this.pending.get(requestId);
    if (!p || p.view.kind !== 'sampling') throw new IpcError('NOT_FOUND', 'This request is no longer waiting for an answer.');
    if (action === 'reply' && !text?.trim()) throw new IpcError('VALIDATION', 'Write a reply or decline.', { text: 'A reply is required.' });
    this.pending.delete(requestId);
    if (action === 'reply') p.resolve({ role: 'assistant', content: { type: 'text', text: text! }, model: 'switchboard-user', stopReason: 'endTurn' });
    else p.reject(new McpError(-1, 'The user declined the sampling request.'));
    this.deps.emit('clientRequestDone', { requestId, reason: 'answered' });
  }

  // ---- history --------------------------------------------------------------------------------

  async queryHistory(q: z.output<typeof import('../../../shared/contract').HistoryQueryRequest>) {
    await this.drainRecords();
    const page = this.history.query({ text: q.text || undefined, serverId: q.serverId || undefined, tool: q.tool || undefined, status: q.status, offset: q.offset, limit: q.limit });
    return { total: page.total, records: page.records };
  }

  async historyRecord(id: string) {
    await this.drainRecords();
    const record = await this.history.get(id);
    if (!record) throw new IpcError('NOT_FOUND', 'This history record no longer exists.');
    return record;
  }

  async facets() {
    await this.drainRecords();
    return this.history.facets();
  }

  async exportHistory(): Promise<{ json: string; count: number }> {
    await this.drainRecords();
    return { json: await this.history.exportJson(), count: this.history.size };
  }

  historyProblem(): Error | undefined {
    return this.historyError;
  }

  // ---- plumbing --------------------------------------------------------------------------------

  private async protocol<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof IpcError) throw error;
      if (error instanceof McpError) throw new IpcError(error.code === McpErrorCode.RequestTimeout ? 'TIMEOUT' : 'PROTOCOL_ERROR', error.message, { code: error.code });
      throw new IpcError('PROTOCOL_ERROR', (error as Error)?.message ?? String(error));
    }
  }

  /** A removed server leaves no snapshot, roots or traffic behind; its history stays (it is a record of what happened). */
  forgetServer(serverId: string): void {
    this.snapshots.delete(serverId);
    const roots = this.deps.store.get(ROOTS_KEY);
    if (roots && typeof roots === 'object' && serverId in roots) {
      const next = { ...(roots as Record<string, unknown>) };
      delete next[serverId];
      this.deps.store.set(ROOTS_KEY, next);
    }
    this.drainTraffic();
    this.traffic.clear(serverId);
    this.toolCache.delete(serverId);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of [this.messageTimer, this.historyTimer, this.trafficTimer]) if (t) clearTimeout(t);
    for (const call of this.calls.values()) call.controller.abort('Shutting down.');
    for (const p of this.pending.values()) p.reject(new Error('Shutting down.'));
    this.pending.clear();
    this.historyDrain.cancel();
    this.drainTraffic();
    await this.drainRecords();
    await this.history.close().catch(() => undefined);
  }
}

function templateVariables(template: string): string[] {
  try {
    return [...new Set(new UriTemplate(template).variableNames)];
  } catch {
    return [];
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export type { CallToolRequest, HistoryQueryRequest };
