import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpExchange } from '../traffic';
import type { GatewayClient } from './gateway-clients';

// The downstream leg of a gateway request, for the server's traffic view: named by the
// client, its token never recorded (the recorder redacts what else it finds), recorded once
// the response is over, or cut off.

/** Records the request when its response closes. `address`: the gateway's own, for the URL shown. */
export function recordDownstream(
  record: (serverId: string, exchange: HttpExchange) => void,
  address: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  client: GatewayClient,
  serverId: string,
  body: unknown,
): void {
  const started = Date.now();
  const t0 = performance.now();
  res.once('close', () => {
    let requestBody: string | undefined;
    try {
      requestBody = body === undefined ? undefined : JSON.stringify(body).slice(0, 64 * 1024);
    } catch {
      requestBody = undefined;
    }
    record(serverId, {
      ts: started,
      method: req.method ?? 'GET',
      url: `${address ?? 'http://127.0.0.1'}${req.url ?? ''}`,
      status: res.writableFinished ? res.statusCode : 0,
      durationMs: performance.now() - t0,
      phase: 'gateway',
      requestHeaders: { 'x-gateway-client': client.name, 'content-type': String(req.headers['content-type'] ?? ''), authorization: 'Bearer [redacted]' },
      responseHeaders: { 'content-type': String(res.getHeader('content-type') ?? '') },
      ...(requestBody !== undefined ? { requestBody } : {}),
      ...(res.writableFinished ? {} : { error: 'The connection ended before the response was complete (client gone, or revoked).' }),
    });
  });
}
