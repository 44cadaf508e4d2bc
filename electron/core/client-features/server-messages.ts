import type { LogLevel, ServerMessage } from '../../../shared/contract';
import { Throttle } from '../batching';
import type { Emit } from '../events';
import { protocol } from '../ipc/protocol';
import type { Client } from '@modelcontextprotocol/client';

// What servers tell the client outside of answers: log messages (at the level
// the user chose) and notifications. Kept per server, bounded, and sent to the
// renderer in throttled batches.

const MAX_MESSAGES = 1000;
const EVENT_THROTTLE_MS = 150;

interface Messages {
  items: ServerMessage[];
  pending: ServerMessage[];
  level?: LogLevel;
}

export class ServerMessages {
  private readonly byServer = new Map<string, Messages>();
  private seq = 0;
  private readonly event: Throttle;

  constructor(private readonly deps: { emit: Emit; now: () => number }) {
    this.event = new Throttle(() => {
      for (const [serverId, m] of this.byServer) {
        if (m.pending.length) deps.emit('serverMessages', { serverId, messages: m.pending.splice(0) });
      }
    }, EVENT_THROTTLE_MS);
  }

  async setLevel(serverId: string, client: Client, level: LogLevel): Promise<void> {
    await protocol(() => client.setLoggingLevel(level));
    this.of(serverId).level = level;
  }

  get(serverId: string): { messages: ServerMessage[]; level?: LogLevel } {
    const m = this.of(serverId);
    return { messages: [...m.items], level: m.level };
  }

  push(serverId: string, message: Omit<ServerMessage, 'seq' | 'ts'>): void {
    const m = this.of(serverId);
    const full: ServerMessage = { seq: ++this.seq, ts: this.deps.now(), ...message, text: message.text.slice(0, 10_000) };
    m.items.push(full);
    if (m.items.length > MAX_MESSAGES) m.items.splice(0, m.items.length - MAX_MESSAGES);
    m.pending.push(full);
    if (m.pending.length > MAX_MESSAGES) m.pending.splice(0, m.pending.length - MAX_MESSAGES);
    this.event.poke();
  }

  close(): void {
    this.event.stop();
  }

  private of(serverId: string): Messages {
    let m = this.byServer.get(serverId);
    if (!m) {
      m = { items: [], pending: [] };
      this.byServer.set(serverId, m);
    }
    return m;
  }
}
