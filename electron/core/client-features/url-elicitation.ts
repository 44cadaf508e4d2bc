import { domainToUnicode } from 'node:url';
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/client';
import type { UrlElicitationView } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';
import { assertSafeUrl } from '../net/url-policy';

// URL-mode elicitation, as the user sees it: everything the server sent is
// hostile. The URL is checked with the URL policy's 'elicitation' purpose on
// arrival (and again before it opens); the view carries the ASCII origin
// (punycode for IDN hosts) and, beside it, the Unicode host; the message and
// any refused URL are bounded and their control and bidi characters made
// visible, so text cannot reorder or hide what the user reads.

const MAX_MESSAGE = 2000;
const MAX_REFUSED_URL = 2048;
/** The most URL elicitations one -32042 error may ask for. */
export const MAX_ELICITATIONS_PER_ERROR = 5;

/** Bidi embedding/override/isolate marks, LRM/RLM/ALM, and the zero-width ones that can hide text. */
const BIDI = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Server text for display: control characters replaced, bidi and invisible marks shown as [U+XXXX], bounded. */
export function displayText(value: unknown, max: number): string {
  let text = typeof value === 'string' ? value : '';
  if (text.length > max * 2) text = text.slice(0, max * 2);
  text = text.replace(CONTROL, '\ufffd').replace(BIDI, (c) => `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface UrlElicitationParams {
  url?: unknown;
  message?: unknown;
  elicitationId?: unknown;
}

/** The message and the URL view for one URL elicitation (from elicitation/create or a -32042 error's data). */
export function describeUrlElicitation(
  params: UrlElicitationParams,
  serverUrl: URL | undefined,
  source: UrlElicitationView['source'],
): { message: string; urlElicitation: UrlElicitationView } {
  const message = displayText(params.message, MAX_MESSAGE);
  const elicitationId = typeof params.elicitationId === 'string' && params.elicitationId.length <= 256 ? params.elicitationId : undefined;
  const raw = typeof params.url === 'string' ? params.url : '';
  try {
    const url = checkElicitationUrl(raw, serverUrl);
    const unicodeHost = domainToUnicode(url.hostname);
    return {
      message,
      urlElicitation: {
        url: url.href,
        origin: url.origin,
        ...(unicodeHost && unicodeHost !== url.hostname ? { unicodeHost: displayText(unicodeHost, 500) } : {}),
        ...(elicitationId !== undefined ? { elicitationId } : {}),
        source,
      },
    };
  } catch (error) {
    return {
      message,
      urlElicitation: {
        url: displayText(raw, MAX_REFUSED_URL) || '(no URL)',
        ...(elicitationId !== undefined ? { elicitationId } : {}),
        refused: displayText((error as Error).message, 1000),
        source,
      },
    };
  }
}

/** The URL policy for a URL a server asks the user to open (see url-policy.ts, purpose 'elicitation'). */
export function checkElicitationUrl(url: string, serverUrl: URL | undefined): URL {
  const parsed = assertSafeUrl(url, 'elicitation', { what: 'to open the URL this server asked for', serverUrl });
  if (parsed.href.length > 8192) throw new Error('Refusing to open the URL this server asked for: the URL is too long');
  return parsed;
}

/** The elicitations of a -32042 error (UrlElicitationRequired), unchecked; undefined for any other error. */
export function urlElicitationsOf(error: unknown): unknown[] | undefined {
  // protocol() (ipc/protocol.ts) turns it into PROTOCOL_ERROR and keeps the SDK error as the cause.
  if (error instanceof IpcError && error.cause instanceof ProtocolError) error = error.cause;
  if (!(error instanceof ProtocolError) || error.code !== ProtocolErrorCode.UrlElicitationRequired) return undefined;
  const elicitations = (error.data as { elicitations?: unknown } | undefined)?.elicitations;
  return Array.isArray(elicitations) ? elicitations : [];
}

type AnyHandler = (request: never) => unknown;

/**
 * Wraps IPC handlers so that any request to a server (resources, prompts, completions...) failing
 * with -32042 offers the URL elicitations it names and fails as PROTOCOL_ERROR saying what to do.
 * (Tool calls report the error in their response instead; see ToolCalls.)
 */
export function withUrlElicitationRequired<H extends Record<string, AnyHandler>>(handlers: H, offer: (serverId: string, elicitations: unknown[]) => void): H {
  const wrapped: Record<string, AnyHandler> = {};
  for (const [name, handler] of Object.entries(handlers)) {
    wrapped[name] = (async (request: { serverId?: unknown }) => {
      try {
        return await (handler as (r: unknown) => unknown)(request);
      } catch (error) {
        const elicitations = urlElicitationsOf(error);
        if (!elicitations || typeof request?.serverId !== 'string') throw error;
        offer(request.serverId, elicitations);
        throw new IpcError(
          'PROTOCOL_ERROR',
          `${(error as Error).message}: the server needs you to open a page in your browser first. Follow the dialog, then try again.`,
          { code: ProtocolErrorCode.UrlElicitationRequired },
        );
      }
    }) as AnyHandler;
  }
  return wrapped as H;
}
