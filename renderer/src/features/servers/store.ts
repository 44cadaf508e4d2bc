import { create } from 'zustand';
import { api, IpcError, type InstallLinkServer, type LogLine, type ServerInput, type ServerView, type ToolView, type TrustView } from '../../api';

// Server list, selection, per-server logs and tools. Kept in sync by events
// from the core; actions call the typed API and keep errors where they happen.

const MAX_LOG_LINES = 2000;

export interface ApprovalRequest {
  serverId: string;
  serverName: string;
  trust: TrustView;
  /** Connect right after approving. */
  thenConnect: boolean;
  /** The review step of Add: after approving, connect and land on the server's Tools tab. */
  fromAdd?: boolean;
}

/** A tab a flow asks a server's detail view to show (Tools after Add, Log from an error card). */
export interface TabRequest {
  serverId: string;
  tab: string;
  key: number;
}

/** What the Add-server dialog opens with when something outside the form fills it in (an install link). */
export interface AddServerPrefill {
  server: InstallLinkServer;
  /** Shown above the form: where the values came from, and that nothing runs before approval. */
  notice: string;
  warnings: string[];
}

interface ServersState {
  loaded: boolean;
  loadError?: string;
  /** Server entries in the settings file that could not be read (kept in the file). */
  invalid: { index: number; name?: string; reason: string }[];
  servers: Record<string, ServerView>;
  order: string[];
  selectedId?: string;
  logs: Record<string, LogLine[]>;
  tools: Record<string, ToolView[]>;
  /** Errors from actions, per server (connect failed, etc.). */
  actionErrors: Record<string, string | undefined>;
  approval?: ApprovalRequest;
  tabRequest?: TabRequest;
  /** Servers being added: they land on Tools in the same update that shows them connected. */
  landing: Record<string, boolean>;
  /** The Add-server dialog, opened prefilled (a new prefill replaces the open one). */
  addPrefill?: AddServerPrefill & { key: number };
  /** The Add-server dialog, opened empty (the button, Mod+N, the palette). */
  addOpen: boolean;
  /** Each server's open detail tab (kept across switches and views). */
  tabs: Record<string, string>;
  /** Servers removed a moment ago, still undoable: out of the list, still in the core. */
  hidden: Record<string, true>;
  init(): Promise<void>;
  /** Takes a server out of the list (and the selection to its neighbour) without asking the core. */
  hide(id: string): void;
  /** Puts a hidden server back where it was. */
  unhide(id: string, index: number): void;
  showAddServer(): void;
  openAddServer(prefill: AddServerPrefill): void;
  closeAddServer(): void;
  select(id: string | undefined): void;
  setTab(id: string, tab: string): void;
  add(config: ServerInput): Promise<ServerView>;
  /** Add means add and connect for a local server: its launch approval is the review step, then it lands on Tools. */
  addAndConnect(config: ServerInput): Promise<ServerView>;
  /** Servers added elsewhere (a pasted config's import): known now, before their events arrive, and the first selected. */
  adopt(servers: ServerView[]): void;
  openTab(serverId: string, tab: string): void;
  /** The detail view showed the requested tab: the request is done (a later visit starts where the user left it). */
  tabShown(key: number): void;
  update(id: string, config: ServerInput): Promise<ServerView>;
  connect(id: string, options?: { fromAdd?: boolean }): Promise<void>;
  disconnect(id: string): Promise<void>;
  approve(request: ApprovalRequest): Promise<void>;
  dismissApproval(): void;
  loadLog(id: string): Promise<void>;
  loadTools(id: string): Promise<void>;
}

let subscribed = false;

/** A server being added that is now connected shows its Tools tab; one that failed stops waiting to. */
function landed(s: ServersState, server: ServerView): Partial<ServersState> {
  if (!s.landing[server.id]) return {};
  const state = server.status.state;
  if (state === 'connected')
    return { landing: { ...s.landing, [server.id]: false }, tabRequest: { serverId: server.id, tab: 'tools', key: (s.tabRequest?.key ?? 0) + 1 } };
  // Not on 'stopped': the approval's own change event may arrive after the connect began.
  if (state === 'error' || state === 'crashed') return { landing: { ...s.landing, [server.id]: false } };
  return {};
}

export const useServers = create<ServersState>((set, get) => ({
  loaded: false,
  invalid: [],
  servers: {},
  order: [],
  logs: {},
  tools: {},
  actionErrors: {},
  addOpen: false,
  tabs: {},
  hidden: {},
  landing: {},

  async init() {
    if (!subscribed) {
      subscribed = true;
      api.onServerChanged(({ server }) => {
        const previous = get().servers[server.id];
        set((s) => ({
          servers: { ...s.servers, [server.id]: server },
          order: s.order.includes(server.id) || s.hidden[server.id] ? s.order : [...s.order, server.id],
          ...landed(s, server),
        }));
        // Tools change on connect / disconnect / list_changed.
        if (server.status.state !== previous?.status.state || server.status.state === 'connected') void get().loadTools(server.id);
      });
      api.onServerRemoved(({ serverId: id }) =>
        set((s) => {
          const servers = { ...s.servers };
          delete servers[id];
          const { [id]: _gone, ...hidden } = s.hidden;
          return { servers, hidden, order: s.order.filter((x) => x !== id), selectedId: s.selectedId === id ? undefined : s.selectedId };
        }),
      );
      api.onServerLog(({ serverId, lines }) =>
        set((s) => {
          const merged = [...(s.logs[serverId] ?? []), ...lines];
          return { logs: { ...s.logs, [serverId]: merged.length > MAX_LOG_LINES ? merged.slice(-MAX_LOG_LINES) : merged } };
        }),
      );
    }
    try {
      const { servers, invalid } = await api.listServers({});
      set((s) => ({
        loaded: true,
        loadError: undefined,
        invalid,
        servers: Object.fromEntries(servers.map((x) => [x.id, x])),
        order: servers.map((x) => x.id).filter((id) => !s.hidden[id]),
        selectedId: s.selectedId ?? servers[0]?.id,
      }));
    } catch (error) {
      set({ loaded: true, loadError: (error as Error).message });
    }
  },

  hide(id) {
    set((s) => {
      const at = s.order.indexOf(id);
      const order = s.order.filter((x) => x !== id);
      const selectedId = s.selectedId === id ? (order[at] ?? order[at - 1]) : s.selectedId;
      return { hidden: { ...s.hidden, [id]: true }, order, selectedId };
    });
  },

  unhide(id, index) {
    set((s) => {
      const { [id]: _shown, ...hidden } = s.hidden;
      if (!s.servers[id] || s.order.includes(id)) return { hidden };
      const order = [...s.order];
      order.splice(Math.min(Math.max(index, 0), order.length), 0, id);
      return { hidden, order, selectedId: id };
    });
  },

  openAddServer(prefill) {
    set((s) => ({ addPrefill: { ...prefill, key: (s.addPrefill?.key ?? 0) + 1 } }));
  },

  showAddServer() {
    set({ addOpen: true });
  },

  closeAddServer() {
    set({ addPrefill: undefined, addOpen: false });
  },

  setTab(id, tab) {
    set((s) => ({ tabs: { ...s.tabs, [id]: tab } }));
  },

  select(id) {
    set({ selectedId: id });
    if (id) {
      void get().loadLog(id);
      void get().loadTools(id);
    }
  },

  async add(config) {
    const { server } = await api.addServer({ config });
    set((s) => ({
      servers: { ...s.servers, [server.id]: server },
      order: s.order.includes(server.id) ? s.order : [...s.order, server.id],
      selectedId: server.id,
    }));
    return server;
  },

  async addAndConnect(config) {
    const server = await get().add(config);
    // A remote server waits for its Connect or Sign in click: connecting may open the browser to sign in.
    if (config.transport === 'stdio') void get().connect(server.id, { fromAdd: true });
    return server;
  },

  adopt(added) {
    set((s) => ({
      servers: { ...s.servers, ...Object.fromEntries(added.map((v) => [v.id, v])) },
      order: [...s.order, ...added.map((v) => v.id).filter((id) => !s.order.includes(id))],
      selectedId: added[0]?.id ?? s.selectedId,
    }));
  },

  openTab(serverId, tab) {
    set((s) => ({ tabRequest: { serverId, tab, key: (s.tabRequest?.key ?? 0) + 1 } }));
  },

  tabShown(key) {
    if (get().tabRequest?.key === key) set({ tabRequest: undefined });
  },

  async update(id, config) {
    const { server } = await api.updateServer({ serverId: id, config });
    set((s) => ({ servers: { ...s.servers, [id]: server } }));
    return server;
  },

  async connect(id, options = {}) {
    set((s) => ({ actionErrors: { ...s.actionErrors, [id]: undefined } }));
    // Always ask the core: it re-reads the settings file, so the approval dialog
    // shows the spec as it is now (another program may have changed it), never a cached view.
    try {
      if (options.fromAdd) set((s) => ({ landing: { ...s.landing, [id]: true } }));
      const { server: next } = await api.connectServer({ serverId: id });
      set((s) => ({ servers: { ...s.servers, [id]: next }, ...landed(s, next) }));
    } catch (error) {
      if (error instanceof IpcError && error.code === 'APPROVAL_REQUIRED') {
        const trust = (error.details as { trust?: TrustView } | undefined)?.trust;
        if (trust) set({ approval: { serverId: id, serverName: get().servers[id]?.name ?? id, trust, thenConnect: true, fromAdd: options.fromAdd } });
        return;
      }
      set((s) => ({ actionErrors: { ...s.actionErrors, [id]: (error as Error).message } }));
    }
  },

  async disconnect(id) {
    try {
      const { server } = await api.disconnectServer({ serverId: id });
      set((s) => ({ servers: { ...s.servers, [id]: server } }));
    } catch (error) {
      set((s) => ({ actionErrors: { ...s.actionErrors, [id]: (error as Error).message } }));
    }
  },

  async approve(request) {
    let server: ServerView;
    try {
      ({ server } = await api.approveLaunch({ serverId: request.serverId, specHash: request.trust.specHash }));
    } catch (error) {
      // The spec changed after it was shown: show the current one (and what changed) before asking again.
      if (error instanceof IpcError && error.code === 'CONFLICT') await get().connect(request.serverId, { fromAdd: request.fromAdd });
      throw error;
    }
    set((s) => ({ approval: undefined, servers: { ...s.servers, [server.id]: server } }));
    if (request.thenConnect) await get().connect(request.serverId, { fromAdd: request.fromAdd });
  },

  dismissApproval() {
    set((s) => ({ approval: undefined, landing: s.approval ? { ...s.landing, [s.approval.serverId]: false } : s.landing }));
  },

  async loadLog(id) {
    try {
      const { lines } = await api.getServerLog({ serverId: id });
      set((s) => ({ logs: { ...s.logs, [id]: lines } }));
    } catch {
      /* the server was removed meanwhile */
    }
  },

  async loadTools(id) {
    try {
      const { tools } = await api.listTools({ serverId: id });
      set((s) => ({ tools: { ...s.tools, [id]: tools } }));
    } catch {
      /* removed meanwhile */
    }
  },
}));
