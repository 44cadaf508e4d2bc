import { EventEmitter } from 'node:events';
import http, { type IncomingMessage } from 'node:http';

// The Electron binary cannot run here, so net.request is a stand-in that speaks
// real HTTP through node:http and mimics what Electron's ClientRequest does
// with its options (redirect policies as in Electron's net-client-request:
// 'manual' emits 'redirect' and fails with "Redirect was cancelled" unless
// followRedirect() is called; network failures are net::ERR_* errors).

export interface StandInOptions {
  method: string;
  url: string;
  redirect?: 'follow' | 'error' | 'manual';
  credentials?: string;
  useSessionCookies?: boolean;
  cache?: string;
  bypassCustomProtocolHandlers?: boolean;
}

/** Every request made, in order. */
export const made: StandIn[] = [];
export class StandIn extends EventEmitter {
  readonly headers: Record<string, string> = {};
  private body: Buffer[] = [];
  private current?: http.ClientRequest;
  private response?: IncomingMessage;
  private aborted = false;
  private follow = false;
  constructor(readonly options: StandInOptions) {
    super();
    made.push(this);
  }
  setHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  write(chunk: Buffer) {
    this.body.push(Buffer.from(chunk));
  }
  end() {
    this.send(this.options.url, this.options.method);
  }
  abort() {
    this.aborted = true;
    this.current?.destroy();
    this.response?.destroy();
  }
  followRedirect() {
    this.follow = true;
  }
  private send(url: string, method: string) {
    const req = http.request(url, { method, headers: this.headers }, (res) => {
      const location = res.headers.location;
      if (res.statusCode && res.statusCode >= 300 && res.statusCode < 400 && location) {
        res.resume();
        const next = new URL(location, url).href;
        const policy = this.options.redirect ?? 'follow';
        if (policy === 'error') return this.emit('error', new Error("Attempted to redirect, but redirect policy was 'error'"));
        if (policy === 'manual') {
          this.follow = false;
          this.emit('redirect', res.statusCode, method, next, res.headers);
          if (!this.follow && !this.aborted) this.emit('error', new Error('Redirect was cancelled'));
          if (!this.follow) return;
        }
        return this.send(next, res.statusCode === 303 ? 'GET' : method);
      }
      this.response = res;
      this.emit('response', res);
    });
    this.current = req;
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (!this.aborted) this.emit('error', new Error(e.code === 'ECONNREFUSED' ? 'net::ERR_CONNECTION_REFUSED' : `net::ERR_FAILED ${e.message}`));
    });
    req.end(Buffer.concat(this.body));
  }
}
