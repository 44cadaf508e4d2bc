import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IpcError } from '../../../shared/contract/errors';

// RFC 8252 §7.3 loopback redirect listener: 127.0.0.1 only, ephemeral port,
// exact path, one-shot, state-checked, closes after use or timeout. The page
// sent to the browser is static: nothing from the request is reflected.

export interface LoopbackResult {
  /** The full callback URL as received (contains the code: never log it). */
  callbackUrl: URL;
}

export interface LoopbackListener {
  /** http://127.0.0.1:<port><path> */
  readonly redirectUri: string;
  readonly port: number;
  /** Resolves with the callback carrying the expected state; rejects on AS error, timeout or close(). */
  readonly result: Promise<LoopbackResult>;
  /** Stops listening; a pending `result` rejects with CANCELLED (string reason) or the given error. Idempotent. */
  close(reason?: string | Error): void;
}

export interface LoopbackOptions {
  /** Expected `state`; callbacks with a different or missing state are answered with 400 and ignored. */
  state: string;
  /** Path to listen on (default /callback/<random>). Must start with "/". */
  path?: string;
  /** Default 5 minutes. */
  timeoutMs?: number;
}

const PAGE = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><meta name="viewport" content="width=device-width"><style>body{font-family:system-ui,sans-serif;margin:4rem auto;max-width:32rem;color:#222}h1{font-size:1.3rem}</style></head><body><h1>${title}</h1><p>${body}</p></body></html>`;
const OK_PAGE = PAGE('Signed in', 'You can return to Switchboard. This tab can be closed.');
const ERROR_PAGE = PAGE('Sign-in did not complete', 'You can return to Switchboard to see what happened. This tab can be closed.');
const IGNORED_PAGE = PAGE('Not accepted', 'This sign-in response was not expected by Switchboard and was ignored.');

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    Connection: 'close',
  });
  res.end(html);
}

/** Sanitises an AS-provided string for an error message: printable, bounded. */
function clean(value: string | null, max = 200): string {
  return (value ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, max);
}

export async function startLoopbackListener(options: LoopbackOptions): Promise<LoopbackListener> {
  const path = options.path ?? `/callback/${randomBytes(12).toString('hex')}`;
  if (!path.startsWith('/')) throw new IpcError('VALIDATION', 'Loopback callback path must start with "/"');
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  let settle: { resolve: (r: LoopbackResult) => void; reject: (e: Error) => void } | undefined;
  const result = new Promise<LoopbackResult>((resolve, reject) => {
    settle = { resolve, reject };
  });
  result.catch(() => undefined); // the caller may attach later
  let done = false;
  let port = 0;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (done) return send(res, 410, IGNORED_PAGE);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      return send(res, 400, IGNORED_PAGE);
    }
    if (req.method !== 'GET' || url.pathname !== path) return send(res, 404, IGNORED_PAGE);
    // Wrong or missing state: not ours (or forged). Keep waiting for the right one.
    if (url.searchParams.get('state') !== options.state) return send(res, 400, IGNORED_PAGE);
    const error = url.searchParams.get('error');
    if (error) {
      send(res, 200, ERROR_PAGE);
      const description = url.searchParams.get('error_description');
      finish(
        new IpcError(
          error === 'access_denied' ? 'CANCELLED' : 'AUTH_FAILED',
          `The authorization server returned "${clean(error, 64)}"${description ? `: ${clean(description)}` : ''}`,
          { oauthError: clean(error, 64) },
        ),
      );
      return;
    }
    if (!url.searchParams.get('code')) return send(res, 400, IGNORED_PAGE);
    send(res, 200, OK_PAGE);
    finish(undefined, { callbackUrl: url });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;

  const timer = setTimeout(
    () => finish(new IpcError('TIMEOUT', `Sign-in timed out after ${Math.round(timeoutMs / 1000)} s without a response from the browser`)),
    timeoutMs,
  );
  timer.unref?.();

  function finish(error?: Error, value?: LoopbackResult): void {
    if (done) return;
    done = true;
    clearTimeout(timer);
    server.close();
    server.closeIdleConnections();
    // Let the static page reach the browser, then drop anything left.
    setTimeout(() => server.closeAllConnections(), 1000).unref();
    if (error) settle!.reject(error);
    else settle!.resolve(value!);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const redirectUri = `http://127.0.0.1:${port}${path}`;
  return {
    redirectUri,
    port,
    result,
    close(reason: string | Error = 'Sign-in was cancelled') {
      finish(typeof reason === 'string' ? new IpcError('CANCELLED', reason) : reason);
    },
  };
}
