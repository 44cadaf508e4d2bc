import { randomUUID } from 'node:crypto';
import { ProtocolError } from '@modelcontextprotocol/client';
import type { CreateMessageResult, ElicitResult } from '@modelcontextprotocol/client';
import type { ClientRequestView } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';
import type { Emit } from '../events';
import { describeFieldErrors, type SchemaValidators } from '../tools';

// Requests a server makes of the user (elicitation, sampling): held until the
// user answers, the server cancels, or the connection closes. URL elicitations
// the user accepted open in the browser first; those with an elicitationId
// (2025-11-25) are tracked until the server's notifications/elicitation/complete.

interface PendingRequest {
  view: ClientRequestView;
  resolve(value: ElicitResult | CreateMessageResult): void;
  reject(error: Error): void;
}

/** Accepted URL elicitations awaiting their completion notification, at most this many (oldest dropped). */
const MAX_TRACKED = 100;

export interface ClientRequestsDeps {
  serverName: (serverId: string) => string | undefined;
  emit: Emit;
  now: () => number;
  validators: SchemaValidators;
  /** Opens a URL elicitation's URL in the browser after the user consented; checks it with the URL policy again first. */
  openUrl: (serverId: string, url: string) => Promise<void>;
}

export class ClientRequests {
  private readonly pending = new Map<string, PendingRequest>();
  /** `${serverId}\n${elicitationId}` -> requestId, for accepted URL elicitations. */
  private readonly tracked = new Map<string, string>();
  private readonly opening = new Set<string>();

  constructor(private readonly deps: ClientRequestsDeps) {}

  async hold(
    serverId: string,
    signal: AbortSignal,
    request: Pick<ClientRequestView, 'kind' | 'message' | 'requestedSchema' | 'sampling' | 'urlElicitation' | 'clientName'>,
  ): Promise<ElicitResult | CreateMessageResult> {
    const requestId = randomUUID();
    const serverName = this.deps.serverName(serverId) ?? serverId;
    if (signal.aborted) throw new Error('Cancelled by the server.');
    return new Promise((resolvePromise, reject) => {
      const view: ClientRequestView = { requestId, serverId, serverName, receivedAt: this.deps.now(), ...request };
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

  /**
   * A URL elicitation a -32042 error asked for: nothing waits on the answer (the user retries the
   * call afterwards). The same elicitation offered again while it is still pending is shown once.
   */
  offer(serverId: string, request: Pick<ClientRequestView, 'message' | 'urlElicitation'>): void {
    const id = request.urlElicitation?.elicitationId;
    if (id !== undefined) {
      for (const p of this.pending.values()) if (p.view.serverId === serverId && p.view.urlElicitation?.elicitationId === id) return;
    }
    const requestId = randomUUID();
    const view: ClientRequestView = {
      requestId,
      serverId,
      serverName: this.deps.serverName(serverId) ?? serverId,
      receivedAt: this.deps.now(),
      kind: 'elicitation',
      ...request,
    };
    this.pending.set(requestId, { view, resolve: () => undefined, reject: () => undefined });
    this.deps.emit('clientRequest', view);
  }

  /** notifications/elicitation/complete: unknown or already completed ids are ignored. */
  complete(serverId: string, elicitationId: unknown): void {
    if (typeof elicitationId !== 'string') return;
    const key = `${serverId}\n${elicitationId}`;
    const requestId = this.tracked.get(key);
    if (requestId === undefined) return;
    this.tracked.delete(key);
    this.deps.emit('urlElicitationComplete', { requestId, serverId });
  }

  list(): ClientRequestView[] {
    return [...this.pending.values()].map((p) => p.view);
  }

  async answerElicitation(requestId: string, action: 'accept' | 'decline' | 'cancel', content?: Record<string, unknown>): Promise<void> {
    const p = this.pending.get(requestId);
    if (!p || p.view.kind !== 'elicitation') throw new IpcError('NOT_FOUND', 'This request is no longer waiting for an answer.');
    const url = p.view.urlElicitation;
    if (url) return this.answerUrl(requestId, p, url, action);
    if (action === 'accept') {
      const check = this.deps.validators.check(p.view.requestedSchema ?? { type: 'object' }, content ?? {});
      if (!check.valid)
        throw new IpcError(
          'VALIDATION',
          `The answer does not match what the server asked for: ${describeFieldErrors(check.fieldErrors).join('; ')}`,
          check.fieldErrors,
        );
    }
    this.pending.delete(requestId);
    p.resolve(action === 'accept' ? { action, content: (content ?? {}) as ElicitResult['content'] } : { action });
    this.deps.emit('clientRequestDone', { requestId, reason: 'answered' });
  }

  private async answerUrl(
    requestId: string,
    p: PendingRequest,
    url: NonNullable<ClientRequestView['urlElicitation']>,
    action: 'accept' | 'decline' | 'cancel',
  ): Promise<void> {
    if (action === 'accept') {
      if (url.refused) throw new IpcError('VALIDATION', `${url.refused}. Decline this request.`);
      if (this.opening.has(requestId)) throw new IpcError('CONFLICT', 'This URL is already being opened.');
      // Opened only now, after consent; the opener's own check runs again at the edge. A failure leaves the request waiting.
      this.opening.add(requestId);
      try {
        await this.deps.openUrl(p.view.serverId, url.url);
      } finally {
        this.opening.delete(requestId);
      }
      if (!this.pending.delete(requestId)) return; // cancelled by the server meanwhile
      if (url.elicitationId !== undefined) {
        this.tracked.set(`${p.view.serverId}\n${url.elicitationId}`, requestId);
        if (this.tracked.size > MAX_TRACKED) this.tracked.delete(this.tracked.keys().next().value!);
      }
    } else this.pending.delete(requestId);
    p.resolve({ action });
    this.deps.emit('clientRequestDone', { requestId, reason: 'answered' });
  }

  answerSampling(requestId: string, action: 'reply' | 'decline', text?: string): void {
    const p = this.pending.get(requestId);
    if (!p || p.view.kind !== 'sampling') throw new IpcError('NOT_FOUND', 'This request is no longer waiting for an answer.');
    if (action === 'reply' && !text?.trim()) throw new IpcError('VALIDATION', 'Write a reply or decline.', { text: 'A reply is required.' });
    this.pending.delete(requestId);
    if (action === 'reply') p.resolve({ role: 'assistant', content: { type: 'text', text: text! }, model: 'switchboard-user', stopReason: 'endTurn' });
    else p.reject(new ProtocolError(-1, 'The user declined the sampling request.'));
    this.deps.emit('clientRequestDone', { requestId, reason: 'answered' });
  }

  close(): void {
    for (const p of this.pending.values()) p.reject(new Error('Shutting down.'));
    this.pending.clear();
    this.tracked.clear();
  }
}
