import type { HttpEntry, JsonRpcEntry, TrafficDirection, TrafficEntry } from './entry';
import { classifyHttpPhase, redactBody, redactHeaders, redactUrl, type HeadersLike, type HttpPhase } from './http-redact';
import type { KnownSecrets } from './known-secrets';
import { redactSecrets, redactString } from './redact';
import { RingBuffer } from './ring-buffer';

// Per-server protocol traffic for the inspector, bounded in memory. Messages
// are redacted on the way in (copy-on-write: the caller's object is never
// mutated, untouched subtrees are shared rather than cloned). Requests are
// paired with their responses in both directions, so server→client requests
// (sampling, elicitation, roots) get a latency too.

export interface HttpExchange {
  /** Start of the request; defaults to now minus durationMs. */
  ts?: number;
  method: string;
  url: string | URL;
  /** 0 when no response arrived. */
  status: number;
  durationMs: number;
  /** Guessed from the URL when omitted. */
  phase?: HttpPhase;
  requestHeaders?: HeadersLike;
  responseHeaders?: HeadersLike;
  requestBody?: string;
  responseBody?: string;
  error?: string;
}

export interface TrafficListOptions {
  method?: string;
  direction?: TrafficDirection;
  kind?: TrafficEntry['kind'];
  /** Only entries with a larger seq (incremental refresh). */
  afterSeq?: number;
  /** The newest N matching entries (still returned oldest first). */
  limit?: number;
}

export interface TrafficRecorderOptions {
  /** Entries kept per server. */
  capacity?: number;
  /** Wall clock in (fractional) milliseconds. */
  now?: () => number;
  /** Strings in recorded messages are cut to this length (default 64 Ki characters). */
  maxStringChars?: number;
  /** Values injected into each server, scrubbed from its entries (a server that echoes its own key). */
  secrets?: KnownSecrets;
}

export type TrafficListener = (entry: TrafficEntry) => void;

interface ServerTraffic {
  entries: RingBuffer<TrafficEntry>;
  /** Unanswered requests by direction + id. Bounded: a request that never gets an answer must not leak. */
  pending: Map<string, JsonRpcEntry>;
}

export const DEFAULT_TRAFFIC_CAPACITY = 5000;
export const DEFAULT_MAX_STRING_CHARS = 64 * 1024;

const preciseNow = (): number => performance.timeOrigin + performance.now();

type RpcId = string | number;

const isId = (id: unknown): id is RpcId => typeof id === 'string' || typeof id === 'number';
const pendingKey = (direction: TrafficDirection, id: RpcId): string => `${direction}:${typeof id}:${id}`;

export class TrafficRecorder {
  private readonly servers = new Map<string, ServerTraffic>();
  private readonly listeners = new Set<TrafficListener>();
  private readonly capacity: number;
  private readonly now: () => number;
  private readonly maxStringChars: number;
  private readonly secrets?: KnownSecrets;
  private seq = 0;

  constructor(options: TrafficRecorderOptions = {}) {
    this.capacity = options.capacity ?? DEFAULT_TRAFFIC_CAPACITY;
    this.now = options.now ?? preciseNow;
    this.maxStringChars = options.maxStringChars ?? DEFAULT_MAX_STRING_CHARS;
    this.secrets = options.secrets;
  }

  /**
   * `message` is a JSON-RPC message, or its JSON text as a transport read or
   * wrote it (a message is never a bare string): the text is parsed here, so a
   * caller that batches recording keeps one string per message until then.
   * Either way it is redacted before it is stored. `ts` lets such a caller keep
   * the time the message was actually seen.
   */
  recordMessage(serverId: string, direction: TrafficDirection, input: unknown, ts = this.now()): JsonRpcEntry {
    const message = typeof input === 'string' ? parseLine(input) : input;
    const server = this.server(serverId);
    const entry: JsonRpcEntry = {
      kind: 'jsonrpc',
      seq: ++this.seq,
      serverId,
      ts,
      direction,
      message: redactSecrets(message, { maxStringChars: this.maxStringChars, scrub: this.secrets?.scrubberFor(serverId) }),
    };
    const msg = message !== null && typeof message === 'object' && !Array.isArray(message) ? (message as Record<string, unknown>) : undefined;
    if (msg) {
      if (isId(msg.id)) entry.id = msg.id;
      if (typeof msg.method === 'string') {
        entry.method = msg.method;
        if (entry.id !== undefined) this.addPending(server, pendingKey(direction, entry.id), entry);
      } else if (entry.id !== undefined && ('result' in msg || 'error' in msg)) {
        // A response answers a request that travelled the other way.
        const key = pendingKey(direction === 'in' ? 'out' : 'in', entry.id);
        const request = server.pending.get(key);
        if (request) {
          server.pending.delete(key);
          entry.method = request.method;
          entry.pairedSeq = request.seq;
          entry.latencyMs = Math.max(0, ts - request.ts);
          // The request object is ours (never handed out before now except to listeners), so linking it back is safe.
          request.pairedSeq = entry.seq;
        }
      }
    }
    this.push(server, entry);
    return entry;
  }

  recordHttp(serverId: string, input: HttpExchange): HttpEntry {
    const scrub = this.secrets?.scrubberFor(serverId);
    // Known values go first, on the raw text: pattern redaction could cut a value in two and leave a piece.
    const exchange = scrub ? scrubExchange(input, scrub) : input;
    const phase = exchange.phase ?? classifyHttpPhase(exchange.url);
    // `code` in a body is an authorization code everywhere but on the MCP endpoint, where it is a JSON-RPC error code.
    const oauth = phase !== 'mcp' && phase !== 'gateway';
    const entry: HttpEntry = {
      kind: 'http',
      seq: ++this.seq,
      serverId,
      ts: exchange.ts ?? this.now() - exchange.durationMs,
      method: exchange.method.toUpperCase(),
      url: redactUrl(exchange.url),
      status: exchange.status,
      durationMs: exchange.durationMs,
      phase,
      requestHeaders: redactHeaders(exchange.requestHeaders),
      responseHeaders: redactHeaders(exchange.responseHeaders),
    };
    if (exchange.requestBody !== undefined) entry.requestBody = redactBody(exchange.requestBody, { oauth });
    if (exchange.responseBody !== undefined) entry.responseBody = redactBody(exchange.responseBody, { oauth });
    if (exchange.error !== undefined) entry.error = redactString(exchange.error);
    this.push(this.server(serverId), entry);
    return entry;
  }

  /** Entries of one server, oldest first. */
  list(serverId: string, options: TrafficListOptions = {}): TrafficEntry[] {
    const server = this.servers.get(serverId);
    if (!server) return [];
    const { method, direction, kind, afterSeq, limit } = options;
    let entries = server.entries.toArray();
    if (method !== undefined || direction !== undefined || kind !== undefined || afterSeq !== undefined) {
      entries = entries.filter(
        (e) =>
          (kind === undefined || e.kind === kind) &&
          (method === undefined || e.method === method) &&
          (direction === undefined || (e.kind === 'jsonrpc' && e.direction === direction)) &&
          (afterSeq === undefined || e.seq > afterSeq),
      );
    }
    return limit !== undefined && entries.length > limit ? entries.slice(entries.length - Math.max(0, limit)) : entries;
  }

  /** Server ids with recorded traffic. */
  serverIds(): string[] {
    return [...this.servers.keys()];
  }

  clear(serverId: string): void {
    this.servers.delete(serverId);
  }

  onEntry(listener: TrafficListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private server(serverId: string): ServerTraffic {
    let server = this.servers.get(serverId);
    if (!server) {
      server = { entries: new RingBuffer(this.capacity), pending: new Map() };
      this.servers.set(serverId, server);
    }
    return server;
  }

  private addPending(server: ServerTraffic, key: string, entry: JsonRpcEntry): void {
    server.pending.delete(key); // a reused id replaces the older request and moves to the back
    server.pending.set(key, entry);
    if (server.pending.size > this.capacity) {
      const oldest = server.pending.keys().next().value;
      if (oldest !== undefined) server.pending.delete(oldest);
    }
  }

  private push(server: ServerTraffic, entry: TrafficEntry): void {
    server.entries.push(entry);
    for (const listener of this.listeners) {
      try {
        listener(entry);
      } catch {
        // A broken listener must not break the transport that is recording.
      }
    }
  }
}

/** The message a line holds; text that is not JSON is kept as text (and redacted as such). */
function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return line;
  }
}

function scrubExchange(exchange: HttpExchange, scrub: (text: string) => string): HttpExchange {
  const headers = (h: HeadersLike | undefined): [string, string][] | undefined => (h ? headerPairs(h).map(([name, value]) => [name, scrub(value)]) : undefined);
  return {
    ...exchange,
    url: scrub(String(exchange.url)),
    requestHeaders: headers(exchange.requestHeaders),
    responseHeaders: headers(exchange.responseHeaders),
    requestBody: exchange.requestBody === undefined ? undefined : scrub(exchange.requestBody),
    responseBody: exchange.responseBody === undefined ? undefined : scrub(exchange.responseBody),
    error: exchange.error === undefined ? undefined : scrub(exchange.error),
  };
}

function headerPairs(headers: HeadersLike): [string, string][] {
  if (typeof Headers !== 'undefined' && headers instanceof Headers) return [...headers.entries()];
  if (Symbol.iterator in headers) return [...(headers as Iterable<[string, string]>)].map(([n, v]) => [n, String(v)]);
  const out: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out.push([name, Array.isArray(value) ? value.join(', ') : String(value)]);
  return out;
}
