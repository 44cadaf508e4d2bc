import type { ServerView } from '../../../shared/contract';

// What the tray (menu-bar) icon shows, computed from the server list: counts
// for the tooltip, the menu header and the macOS title, and one entry per
// server with the quick action that fits its state. The main process turns
// this into an Electron Tray and Menu without deciding anything itself.

/** What choosing a server's entry does. `open`: the window decides (an approval or a sign-in needs the full UI). */
export type TrayAction = 'connect' | 'disconnect' | 'open';

export interface TrayServerItem {
  serverId: string;
  /** "name: Connected" (the name cut to a menu's width). */
  label: string;
  status: string;
  action: TrayAction;
  actionLabel: string;
}

export interface TrayModel {
  counts: { total: number; connected: number; errors: number };
  /** Tooltip on every OS. */
  tooltip: string;
  /** The first, disabled menu line. */
  header: string;
  /** macOS shows this next to the icon in the menu bar; empty when there is nothing to say. */
  title: string;
  servers: TrayServerItem[];
  /** Servers not listed because the menu would get too long ("12 more in Switchboard…"). */
  hidden: number;
}

/** More entries than this make a menu taller than a laptop screen. */
export const MAX_TRAY_SERVERS = 15;
const MAX_NAME = 40;

const STATUS: Record<ServerView['status']['state'], string> = {
  stopped: 'Stopped',
  starting: 'Starting',
  connected: 'Connected',
  error: 'Error',
  crashed: 'Crashed',
};

type TrayServer = Pick<ServerView, 'id' | 'name' | 'status' | 'trust'>;

const isError = (s: TrayServer): boolean => s.status.state === 'error' || s.status.state === 'crashed';

/** Control characters and bidi overrides out, long names cut: a server name is whatever the settings file says. */
export function menuText(text: string, max = MAX_NAME): string {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean || '(unnamed)';
}

function itemFor(server: TrayServer, platform: string): TrayServerItem {
  const { state, authRequired } = server.status;
  const status = authRequired && state !== 'connected' ? 'Sign-in needed' : STATUS[state];
  // Windows reads "&" in a menu label as a mnemonic; "&&" shows one.
  const name = platform === 'win32' ? menuText(server.name).replace(/&/g, '&&') : menuText(server.name);
  const base = { serverId: server.id, label: `${name}: ${status}`, status };
  if (state === 'connected') return { ...base, action: 'disconnect', actionLabel: 'Disconnect' };
  if (state === 'starting') return { ...base, action: 'disconnect', actionLabel: 'Stop' };
  if (authRequired) return { ...base, action: 'open', actionLabel: 'Sign in…' };
  // A local server that was never approved (or changed since) needs the approval dialog.
  if (server.trust && !server.trust.approved) return { ...base, action: 'open', actionLabel: 'Review and approve…' };
  return { ...base, action: 'connect', actionLabel: state === 'stopped' ? 'Connect' : 'Reconnect' };
}

export function trayModel(servers: readonly TrayServer[], platform: string): TrayModel {
  const connected = servers.filter((s) => s.status.state === 'connected').length;
  const errors = servers.filter(isError).length;
  const total = servers.length;
  const summary =
    total === 0
      ? 'no servers yet'
      : `${connected} of ${total} ${total === 1 ? 'server' : 'servers'} connected` + (errors ? `, ${errors} with ${errors === 1 ? 'an error' : 'errors'}` : '');
  // Servers that need attention first, then connected ones, then the rest; by name within each group.
  const rank = (s: TrayServer) => (isError(s) || s.status.authRequired ? 0 : s.status.state === 'connected' ? 1 : 2);
  const sorted = [...servers].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  return {
    counts: { total, connected, errors },
    tooltip: `Switchboard: ${summary}`,
    header: summary[0]!.toUpperCase() + summary.slice(1),
    title: total === 0 ? '' : errors ? `${connected} · ${errors} ⚠` : `${connected}`,
    servers: sorted.slice(0, MAX_TRAY_SERVERS).map((s) => itemFor(s, platform)),
    hidden: Math.max(0, total - MAX_TRAY_SERVERS),
  };
}
