import { classifyHttpPhase, type HttpPhase } from './http-redact';
import type { HttpExchange } from './traffic-recorder';

// A fetch that reports each exchange (for the SDK's HTTP transports and the
// OAuth client, which both accept a custom fetch). The caller gets the
// original Response untouched; bodies are read from a clone. Event streams are
// never read (they may stay open for the whole session), and MCP-endpoint
// bodies are skipped by default because the JSON-RPC messages are already
// recorded by wrapTransport. Redaction happens in TrafficRecorder.recordHttp.

export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;

export interface RecordingFetchOptions {
  /** The server's MCP endpoint, so its exchanges are classified as 'mcp'. */
  mcpUrl?: string | URL;
  /** Record bodies of MCP-endpoint exchanges too. */
  mcpBodies?: boolean;
  now?: () => number;
}

// Reading more than this from a clone is pointless: stored bodies are cut to 16 KB after redaction.
const MAX_CAPTURE_CHARS = 1024 * 1024;

export function recordingFetch(fetchImpl: FetchLike, onExchange: (exchange: HttpExchange) => void, options: RecordingFetchOptions = {}): FetchLike {
  const now = options.now ?? (() => performance.timeOrigin + performance.now());
  const report = (exchange: HttpExchange): void => {
    try {
      onExchange(exchange);
    } catch {
      // recording must never break the request
    }
  };

  return async (url, init) => {
    const phase: HttpPhase = classifyHttpPhase(url, options.mcpUrl);
    const captureBodies = phase !== 'mcp' || options.mcpBodies === true;
    const method = (init?.method ?? 'GET').toUpperCase();
    const requestHeaders = new Headers(init?.headers);
    const requestBody = captureBodies ? bodyText(init?.body) : undefined;
    const started = now();
    let response: Response;
    try {
      response = await fetchImpl(url, init);
    } catch (error) {
      report({ ts: started, method, url, status: 0, durationMs: now() - started, phase, requestHeaders, requestBody, error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
    const durationMs = now() - started;
    const base: HttpExchange = { ts: started, method, url, status: response.status, durationMs, phase, requestHeaders, responseHeaders: response.headers, requestBody };
    const type = response.headers.get('content-type') ?? '';
    if (!captureBodies || !response.body || type.includes('text/event-stream')) {
      report(base);
      return response;
    }
    // Report once the clone is read, without delaying the caller.
    void readCapped(response.clone()).then(
      (responseBody) => report({ ...base, responseBody }),
      () => report(base),
    );
    return response;
  };
}

function bodyText(body: RequestInit['body']): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  return '[binary body]';
}

async function readCapped(response: Response): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (text.length >= MAX_CAPTURE_CHARS) {
      await reader.cancel();
      break;
    }
  }
  return text + decoder.decode();
}
