import type { Envelope } from '../../../shared/contract';
import { scrubDeep, type Scrub } from '../traffic';

// The last step before anything leaves the core for the renderer: the values
// of secrets injected into servers are replaced wherever a server echoed them
// (a tool result, a log notification, an error message, a status reason).
//
// Server views are the exception: their config holds values the user typed
// (non-secret env and headers), which the edit form sends back on save; a
// value that happens to equal some secret must not come back as "[redacted]"
// and be saved over the real one. Only their server-supplied parts (status
// and info) are scrubbed.

const SERVER_VIEW_METHODS = new Set(['listServers', 'addServer', 'updateServer', 'approveLaunch', 'connectServer', 'disconnectServer']);

interface WithServers {
  server?: unknown;
  servers?: unknown[];
}

function scrubServerView(view: unknown, scrub: Scrub): unknown {
  if (!view || typeof view !== 'object') return view;
  const v = view as { status?: unknown; info?: unknown };
  const status = scrubDeep(v.status, scrub);
  const info = scrubDeep(v.info, scrub);
  return status === v.status && info === v.info ? view : { ...v, status, info };
}

function scrubServerViews<T>(payload: T, scrub: Scrub): T {
  if (!payload || typeof payload !== 'object') return payload;
  const p = payload as WithServers;
  const out: WithServers = { ...p };
  if ('server' in p) out.server = scrubServerView(p.server, scrub);
  if (Array.isArray(p.servers)) out.servers = p.servers.map((s) => scrubServerView(s, scrub));
  return out as T;
}

/** A method's envelope with known secrets replaced (unchanged when `scrub` is undefined: no secret is known). */
export function scrubEnvelope(method: string, envelope: Envelope, scrub: Scrub | undefined): Envelope {
  if (!scrub) return envelope;
  if (!SERVER_VIEW_METHODS.has(method)) return scrubDeep(envelope, scrub);
  if (envelope.ok) return { ok: true, value: scrubServerViews(envelope.value, scrub) };
  // Their error details carry the launch spec the user approves (with the env values they typed): only the message is the server's.
  return { ok: false, error: { ...envelope.error, message: scrub(envelope.error.message) } };
}

/** An event payload with known secrets replaced. */
export function scrubEvent<P>(event: string, payload: P, scrub: Scrub | undefined): P {
  if (!scrub) return payload;
  return event === 'serverChanged' ? scrubServerViews(payload, scrub) : scrubDeep(payload, scrub);
}
