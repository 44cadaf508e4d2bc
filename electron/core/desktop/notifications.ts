import { createHash } from 'node:crypto';
import type { EventName, NotificationSwitches, PayloadOf } from '../../../shared/contract';
import type { DesktopNotification, Notifier } from '../ports';
import { redactString } from '../traffic';
import { menuText } from './tray-model';

// When Switchboard tells the OS to show a notification. The core's events are
// the input (after the outbound scrub); a condition that starts holding
// notifies once, and again only after it stopped holding and the cool-down
// passed, so a server that flaps between connected and crashed, or a config
// file rewritten every second, does not flood the desktop. A global budget
// caps bursts (ten servers failing at once give a few notifications, not ten).
// Notification text is built here from names and counts only: never a server's
// own text (its stderr, tool descriptions, a config's command line), which
// could carry a secret.

export interface NotificationPolicyDeps {
  notifier?: Notifier;
  switches: () => NotificationSwitches;
  now: () => number;
  serverName: (serverId: string) => string | undefined;
  /** The same condition notifies again only after this long (default 10 minutes). */
  cooldownMs?: number;
  /** At most `burst` notifications per `burstWindowMs` (default 4 per minute). */
  burst?: number;
  burstWindowMs?: number;
}

export const DEFAULT_NOTIFICATION_SWITCHES: NotificationSwitches = {
  serverCrashed: true,
  signInNeeded: true,
  toolsChanged: true,
  clientConfigChanged: true,
};

const CLIENT_LABEL: Record<string, string> = {
  'claude-desktop': 'Claude Desktop',
  'claude-code': 'Claude Code',
  cursor: 'Cursor',
  vscode: 'VS Code',
  windsurf: 'Windsurf',
};

interface Condition {
  /** What the condition is about now (a different tool diff is news even while one is pending). */
  fingerprint: string;
  active: boolean;
}

const text = (value: string, max: number): string => menuText(redactString(value), max);
const fingerprint = (parts: string[]): string => createHash('sha256').update(parts.sort().join('\n')).digest('hex').slice(0, 16);

function listNames(names: string[]): string {
  const shown = names.slice(0, 3).map((n) => text(n, 40));
  return shown.join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
}

function countsText(changes: { kind: 'added' | 'removed' | 'changed' }[]): string {
  const count = (kind: string) => changes.filter((c) => c.kind === kind).length;
  return (['added', 'removed', 'changed'] as const)
    .map((kind) => [count(kind), kind] as const)
    .filter(([n]) => n > 0)
    .map(([n, kind]) => `${n} ${kind}`)
    .join(', ');
}

export class NotificationPolicy {
  private readonly conditions = new Map<string, Condition>();
  private readonly lastShown = new Map<string, number>();
  private recent: number[] = [];
  /** Notifications that the cool-down or the budget held back (diagnostics). */
  suppressed = 0;

  constructor(private readonly deps: NotificationPolicyDeps) {}

  /** Feeds one core event; may show a notification. Never throws (it runs inside the core's emit). */
  onEvent<E extends EventName>(name: E, payload: PayloadOf<E>): void {
    try {
      this.handle(name, payload);
    } catch {
      /* a notification is never worth failing the emitter */
    }
  }

  private handle<E extends EventName>(name: E, payload: PayloadOf<E>): void {
    if (name === 'serverChanged') {
      const { server } = payload as PayloadOf<'serverChanged'>;
      const { state, restart, authRequired, exitCode, signal } = server.status;
      const serverName = text(server.name, 60);
      const gaveUp = state === 'crashed' && Boolean(restart?.gaveUp);
      this.update(`crashed:${server.id}`, gaveUp, '', () => ({
        kind: 'serverCrashed',
        title: `${serverName} stopped`,
        body:
          `It crashed ${exitCode !== undefined && exitCode !== null ? `(exit code ${exitCode})` : signal ? `(${text(signal, 20)})` : ''} ` +
          `and Switchboard gave up after ${restart?.max ?? 0} restarts. Click to see its log.`,
        target: { view: 'server', serverId: server.id },
      }));
      // A sign-out the user chose also leaves the server stopped with authRequired: that is no news.
      if (state === 'connected') this.update(`signin:${server.id}`, false, '');
      else if (state === 'error' && authRequired) this.signInNeeded(server.id, server.name);
      if (state === 'connected' || state === 'stopped') this.update(`crashed:${server.id}`, false, '');
    } else if (name === 'grantChanged') {
      const { serverId, grant } = payload as PayloadOf<'grantChanged'>;
      if (grant?.needsSignIn) this.signInNeeded(serverId, this.deps.serverName(serverId));
      else this.update(`signin:${serverId}`, false, '');
    } else if (name === 'serverRemoved') {
      const { serverId } = payload as PayloadOf<'serverRemoved'>;
      for (const key of [`crashed:${serverId}`, `signin:${serverId}`, `tools:${serverId}`]) this.update(key, false, '');
    } else if (name === 'toolDiffChanged') {
      const { serverId, diff } = payload as PayloadOf<'toolDiffChanged'>;
      const changes = diff?.changes ?? [];
      const print = fingerprint(changes.map((c) => `${c.kind}:${c.name}:${c.fields.join(',')}`));
      this.update(`tools:${serverId}`, changes.length > 0, print, () => ({
        kind: 'toolsChanged',
        title: `${text(this.deps.serverName(serverId) ?? 'A server', 60)} changed its tools`,
        body: `${countsText(changes)}: ${listNames(changes.map((c) => c.name))}. Review the changes before using them.`,
        target: { view: 'server', serverId },
      }));
    } else if (name === 'clientConfigChanged') {
      const { path, client, changes } = payload as PayloadOf<'clientConfigChanged'>;
      const print = fingerprint(changes.map((c) => `${c.kind}:${c.server}:${c.text}`));
      this.update(`config:${path}`, changes.length > 0, print, () => ({
        kind: 'clientConfigChanged',
        title: `${CLIENT_LABEL[client] ?? 'An app'}'s MCP settings changed`,
        body: `Servers ${countsText(changes)}: ${listNames(changes.map((c) => c.server))}. Click to review or import them.`,
        target: { view: 'servers' },
      }));
    }
  }

  private signInNeeded(serverId: string, name: string | undefined): void {
    this.update(`signin:${serverId}`, true, '', () => ({
      kind: 'signInNeeded',
      title: `${text(name ?? 'A server', 60)} needs you to sign in`,
      body: 'Its sign-in expired or was refused. Click to sign in again.',
      target: { view: 'server', serverId },
    }));
  }

  /** Records whether a condition holds; notifies when it starts holding (or holds something new) and the limits allow. */
  private update(key: string, active: boolean, print: string, build?: () => DesktopNotification): void {
    const before = this.conditions.get(key);
    if (!active) {
      if (before) before.active = false;
      return;
    }
    if (before?.active && before.fingerprint === print) return;
    this.conditions.set(key, { active: true, fingerprint: print });
    if (this.conditions.size > 10_000) this.conditions.delete(this.conditions.keys().next().value!);
    if (!build) return;
    const notification = build();
    if (!this.deps.switches()[notification.kind]) return;
    const notifier = this.deps.notifier;
    if (!notifier?.supported()) return;
    const now = this.deps.now();
    const last = this.lastShown.get(key);
    if (last !== undefined && now - last < (this.deps.cooldownMs ?? 10 * 60_000)) {
      this.suppressed++;
      return;
    }
    this.recent = this.recent.filter((t) => now - t < (this.deps.burstWindowMs ?? 60_000));
    if (this.recent.length >= (this.deps.burst ?? 4)) {
      this.suppressed++;
      return;
    }
    this.recent.push(now);
    this.lastShown.set(key, now);
    notifier.show({ ...notification, body: notification.body.replace(/\s+/g, ' ').trim() });
  }
}
