import {
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  SdkHttpError,
  StreamableHTTPClientTransport,
  UnauthorizedError,
  type JSONRPCMessage,
} from '@modelcontextprotocol/client';

// The stdio bridge: a stdio-only MCP client (Claude Desktop) runs it as its
// server command; it reads JSON-RPC lines on stdin and sends each message to one
// gateway endpoint over Streamable HTTP (the SDK's client transport: SSE framing,
// protocol headers), writing what comes back as lines on stdout. It is only an
// HTTP client of the gateway: every check a direct client passes, it passes.
// The token comes from the environment only, never from the command line.

export const TOKEN_ENV = 'SWITCHBOARD_GATEWAY_TOKEN';
export const BRIDGE_FLAG = '--mcp-bridge';
export const URL_FLAG = '--server-url';
/** One stdin line: the gateway refuses bodies over 1 MiB anyway; a little more so its answer is the one seen. */
export const MAX_LINE_BYTES = 2 * 1024 * 1024;

export const NOT_RUNNING = 'Switchboard is not running (or its gateway is off): start Switchboard and turn the gateway on';
export const REVOKED = 'the token was revoked or rotated: re-export this client';
export const STREAM_ENDED = `The gateway ended this request without an answer. Either ${NOT_RUNNING}; or this client's token or access changed: re-export this client.`;

export class BridgeUsageError extends Error {}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** A server's endpoint, /s/<server id>/mcp, or the combined one, /mcp. */
const ENDPOINT = /^(?:\/s\/[^/?#]{1,64})?\/mcp\/?$/;
/** A gateway token, or something shaped like a bearer credential, anywhere on the command line. */
const TOKEN_LIKE = /sbg_[A-Za-z0-9_-]{8,}|^bearer\s|authorization/i;

/** The gateway endpoint from the command line; refuses a token there and any URL that is not a loopback gateway endpoint. */
export function parseBridgeArgs(argv: readonly string[]): URL {
  for (const arg of argv)
    if (TOKEN_LIKE.test(arg) || /^--?(token|auth)/i.test(arg))
      throw new BridgeUsageError(
        `A gateway token was passed on the command line, where other programs can read it. Put it in the ${TOKEN_ENV} environment variable (the "env" block of the client's config) and re-export this client from Switchboard.`,
      );
  let raw: string | undefined;
  argv.forEach((arg, i) => {
    if (arg === URL_FLAG) raw = argv[i + 1];
    else if (arg.startsWith(`${URL_FLAG}=`)) raw = arg.slice(URL_FLAG.length + 1);
  });
  if (!raw) throw new BridgeUsageError(`Missing ${URL_FLAG} http://127.0.0.1:<port>/s/<server id>/mcp (copy it from Switchboard's Gateway view).`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BridgeUsageError(`${URL_FLAG} is not a URL: ${raw.slice(0, 200)}`);
  }
  if (
    url.protocol !== 'http:' ||
    !LOOPBACK.has(url.hostname) ||
    !url.port ||
    url.username ||
    url.password ||
    url.search ||
    url.hash ||
    !ENDPOINT.test(url.pathname)
  )
    throw new BridgeUsageError(
      `${URL_FLAG} must be a Switchboard gateway endpoint on this machine, http://127.0.0.1:<port>/s/<server id>/mcp or http://127.0.0.1:<port>/mcp; refusing ${url.origin}${url.pathname.slice(0, 200)}`,
    );
  return url;
}

export function tokenFrom(env: Record<string, string | undefined>): string {
  const token = env[TOKEN_ENV]?.trim();
  if (!token)
    throw new BridgeUsageError(
      `${TOKEN_ENV} is not set. Export this client again from Switchboard's Gateway view: the token goes in the config's "env" block.`,
    );
  if (!/^[A-Za-z0-9._~+/=-]{1,200}$/.test(token))
    throw new BridgeUsageError(`${TOKEN_ENV} does not hold a gateway token. Export this client again from Switchboard.`);
  return token;
}

/** What the user is told when a message could not reach the gateway. */
export function explain(error: unknown): string {
  if (error instanceof UnauthorizedError) return REVOKED;
  if (error instanceof SdkHttpError) {
    if (error.status === 401) return REVOKED;
    const text = (error.data as { text?: unknown }).text;
    let detail: string | undefined;
    try {
      detail = (JSON.parse(String(text)) as { error?: { message?: unknown } }).error?.message as string | undefined;
    } catch {
      // not a JSON-RPC body
    }
    return `Switchboard's gateway answered ${error.status}: ${typeof detail === 'string' ? detail.slice(0, 500) : (error.statusText ?? 'error')}`;
  }
  // fetch's "fetch failed" (ECONNREFUSED, ECONNRESET…): nothing listens on that port.
  return NOT_RUNNING;
}

export interface BridgeIo {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  stdin: NodeJS.ReadableStream;
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
}

/** Runs until stdin ends; resolves with the exit code (2: refused to start). */
export async function runBridge(io: BridgeIo): Promise<number> {
  const say = (text: string) => io.stderr.write(`switchboard bridge: ${text}\n`);
  let url: URL;
  let token: string;
  try {
    url = parseBridgeArgs(io.argv);
    token = tokenFrom(io.env);
  } catch (error) {
    if (!(error instanceof BridgeUsageError)) throw error;
    say(error.message);
    return 2;
  }
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
  const write = (message: JSONRPCMessage) => io.stdout.write(`${JSON.stringify(message)}\n`);
  const initializeIds = new Set<unknown>();
  /** Requests sent and not answered yet, by JSON-RPC id (as JSON): a stream that ends without the answer gets one. */
  const pending = new Set<string>();
  let lastSaid: string | undefined;
  const tell = (text: string) => {
    // The same failure for every message is said once on stderr, until something else happens.
    if (text !== lastSaid) say(text);
    lastSaid = text;
  };
  transport.onmessage = (message) => {
    // A 2025-era handshake: later requests carry the negotiated MCP-Protocol-Version header.
    if (isJSONRPCResultResponse(message) && initializeIds.delete(message.id)) {
      const version = (message.result as { protocolVersion?: unknown }).protocolVersion;
      if (typeof version === 'string') transport.setProtocolVersion(version);
    }
    if ('id' in message && !('method' in message)) pending.delete(JSON.stringify(message.id));
    write(message);
  };
  transport.onerror = (error) => {
    // The optional listen stream and stream drops: not tied to one request.
    if (!(error instanceof SdkHttpError && error.status === 405)) tell(`${explain(error)} (${error.message.slice(0, 300)})`);
  };
  await transport.start();

  const forward = (message: JSONRPCMessage) => {
    const request = isJSONRPCRequest(message) ? message : undefined;
    if (request?.method === 'initialize') initializeIds.add(request.id);
    // A cancelled request is not answered (the client has let it go).
    if (!request && 'method' in message && message.method === 'notifications/cancelled')
      pending.delete(JSON.stringify((message.params as { requestId?: unknown } | undefined)?.requestId));
    const key = request ? JSON.stringify(request.id) : undefined;
    if (key) pending.add(key);
    const onRequestStreamEnd = () => {
      // The stream of a request ended (Switchboard quit, the gateway was turned off) before its answer.
      if (!key || !pending.delete(key)) return;
      tell(STREAM_ENDED);
      write({ jsonrpc: '2.0', id: request!.id, error: { code: -32000, message: STREAM_ENDED } });
    };
    transport.send(message, request ? { onRequestStreamEnd } : undefined).then(
      () => {
        lastSaid = undefined;
      },
      (error: unknown) => {
        const text = explain(error);
        tell(text);
        if (key) pending.delete(key);
        if (request) write({ jsonrpc: '2.0', id: request.id, error: { code: -32000, message: text } });
      },
    );
  };

  const onLine = (line: string) => {
    if (!line.trim()) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      write({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error: a line on stdin is not JSON.' } } as unknown as JSONRPCMessage);
      return;
    }
    if (!parsed || typeof parsed !== 'object' || (parsed as { jsonrpc?: unknown }).jsonrpc !== '2.0') {
      write({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid Request: not a JSON-RPC 2.0 message.' } } as unknown as JSONRPCMessage);
      return;
    }
    forward(parsed as JSONRPCMessage);
  };

  /** A line over the bound: its id is unknown, so the answer carries none. */
  const tooLarge = () => {
    say(`a message longer than ${MAX_LINE_BYTES} bytes was dropped`);
    write({ jsonrpc: '2.0', id: null, error: { code: -32600, message: `Message too large (over ${MAX_LINE_BYTES} bytes).` } } as unknown as JSONRPCMessage);
  };

  await new Promise<void>((resolve) => {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let skipping = false;
    io.stdin.on('data', (chunk: Buffer | string) => {
      let data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      for (let nl = data.indexOf(10); nl !== -1; nl = data.indexOf(10)) {
        const head = data.subarray(0, nl);
        data = data.subarray(nl + 1);
        if (skipping) skipping = false;
        else if (pendingBytes + head.length > MAX_LINE_BYTES) tooLarge();
        else onLine(Buffer.concat([...pending, head]).toString('utf8'));
        pending = [];
        pendingBytes = 0;
      }
      if (skipping || !data.length) return;
      pendingBytes += data.length;
      pending.push(data);
      if (pendingBytes > MAX_LINE_BYTES) {
        // Dropped up to its newline.
        pending = [];
        pendingBytes = 0;
        skipping = true;
        tooLarge();
      }
    });
    io.stdin.on('end', () => resolve());
    io.stdin.on('close', () => resolve());
    io.stdin.on('error', () => resolve());
  });
  await transport.close().catch(() => undefined);
  return 0;
}
