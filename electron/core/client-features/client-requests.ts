import { randomUUID } from 'node:crypto';
import { ProtocolError } from '@modelcontextprotocol/client';
import type { CreateMessageResult, ElicitResult } from '@modelcontextprotocol/client';
import type { ClientRequestView } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';
import type { Emit } from '../events';
import { describeFieldErrors, type SchemaValidators } from '../tools';

// Requests a server makes of the user (elicitation, sampling): held until the
// user answers, the server cancels, or the connection closes.

interface PendingRequest {
  view: ClientRequestView;
  resolve(value: ElicitResult | CreateMessageResult): void;
  reject(error: Error): void;
}

export class ClientRequests {
  private readonly pending = new Map<string, PendingRequest>();

  constructor(private readonly deps: { serverName: (serverId: string) => string | undefined; emit: Emit; now: () => number; validators: SchemaValidators }) {}

  async hold(
    serverId: string,
    signal: AbortSignal,
    request: Pick<ClientRequestView, 'kind' | 'message' | 'requestedSchema' | 'sampling'>,
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

  list(): ClientRequestView[] {
    return [...this.pending.values()].map((p) => p.view);
  }

  answerElicitation(requestId: string, action: 'accept' | 'decline' | 'cancel', content?: Record<string, unknown>): void {
    const p = this.pending.get(requestId);
    if (!p || p.view.kind !== 'elicitation') throw new IpcError('NOT_FOUND', 'This request is no longer waiting for an answer.');
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
  }
}
