import { events as eventDefs, type EventName, type PayloadOf } from '../../shared/contract';
import { AuthManager, SignInService, authHandlers } from './auth';
import type { Emit } from './events';
import { ClientRequests, clientFactory, clientFeaturesHandlers, Roots, ServerMessages } from './client-features';
import { historyHandlers, HistoryService } from './history';
import { dispatch, type Handlers } from './ipc/dispatch';
import { scrubEnvelope, scrubEvent } from './ipc/scrub-outbound';
import type { CorePorts } from './ports';
import { systemClock } from './ports';
import { appHandlers } from './app';
import { RemoteConnections } from './remote';
import { ProcessGuard, resolveShellEnv, serverHandlers, ServerManager, ServerRepo, type ShellEnvResult } from './servers';
import { applyExtraCaCertificates } from './tls/extra-ca';
import { migrateSettings, readPreferences, securePrivateDir, settingsHandlers } from './settings';
import { PromptService, promptsHandlers } from './prompts';
import { ResourceService, resourcesHandlers } from './resources';
import { SchemaValidators, ToolCalls, ToolDrift, toolsHandlers } from './tools';
import { KnownSecrets, TrafficService, trafficHandlers } from './traffic';
import { Vault } from './vault';

// Composes the core from its ports. The Electron main process, the e2e bridge
// and the benchmarks all build the app through here, so they run the same code.

export type EventListener = <E extends EventName>(name: E, payload: PayloadOf<E>) => void;

export interface Core {
  dispatch(name: string, request: unknown): ReturnType<typeof dispatch>;
  onEvent(listener: EventListener): () => void;
  servers: ServerManager;
  tools: ToolCalls;
  history: HistoryService;
  traffic: TrafficService;
  serverMessages: ServerMessages;
  signIn: SignInService;
  auth: AuthManager;
  vault: Vault;
  processes: ProcessGuard;
  shellEnv: Promise<ShellEnvResult>;
  /** Connects enabled, approved servers. */
  start(): Promise<void>;
  shutdown(): Promise<void>;
}

export interface CoreOptions {
  /** Shown to the user once the window is up (see openStoreSafely). */
  startupNotices?: string[];
  appVersion?: string;
  platform?: string;
  onInternalError?: (method: string, error: unknown) => void;
  defaultConnectTimeoutMs?: number;
}

export function createCore(ports: CorePorts, options: CoreOptions = {}): Core {
  const clock = ports.clock ?? systemClock;
  securePrivateDir(ports.dataDir);
  migrateSettings(ports.store);
  const listeners = new Set<EventListener>();
  // Values injected into servers (secret env and headers, tokens, client secrets): scrubbed wherever a server echoes them.
  const secrets = new KnownSecrets();
  const emit: Emit = (name, payload) => {
    // Parse like responses: strips anything undeclared before it leaves the core.
    const clean = scrubEvent(name, eventDefs[name].payload.parse(payload) as typeof payload, secrets.scrubberForAll());
    for (const listener of listeners) listener(name, clean);
  };
  const vault = new Vault(ports.cipher, ports.store, { allowInsecurePersistence: () => Boolean(readPreferences(ports.store).allowInsecureSecretStorage), now: clock.now });
  const shellEnv = ports.skipShellEnv || ports.env ? Promise.resolve<ShellEnvResult>({ env: ports.env ?? process.env, source: 'process' }) : resolveShellEnv();
  // Trust the CA certificates the user configured in their shell, as their terminal tools do.
  void shellEnv.then(({ env }) => {
    const extra = applyExtraCaCertificates(env);
    if (extra.error) options.onInternalError?.('NODE_EXTRA_CA_CERTS', new Error(extra.error));
  });
  // Reaps the previous run's orphans now; records this run's server processes from here on.
  const processes = new ProcessGuard({ dataDir: ports.dataDir, nodeRuntime: ports.nodeRuntime !== undefined ? ports.nodeRuntime : process.versions.electron ? null : { command: process.execPath } });
  const repo = new ServerRepo(ports.store);
  const auth = new AuthManager({
    vault,
    store: ports.store,
    browser: ports.browser,
    clock,
    // Every MCP and OAuth request goes out through the host's fetch (net.fetch in the app).
    fetch: ports.fetch,
    onGrantChanged: (serverId) => void auth.getGrant(serverId).then((grant) => emit('grantChanged', { serverId, grant }), () => undefined),
    // OAuth and MCP HTTP requests show up in the server's traffic view (the recorder redacts).
    onHttpExchange: (exchange) => {
      if (!exchange.serverId) return;
      // JSON-RPC messages are queued off the call path: the ones seen before this exchange finished stay listed before it.
      traffic.drain();
      traffic.recordHttp(exchange.serverId, exchange);
    },
    onSecret: (serverId, value) => secrets.add(serverId, value),
  });
  const signIn: SignInService = new SignInService({
    auth,
    repo,
    vault,
    // After a step-up the live session simply carries the new token; only a server that is down reconnects.
    reconnect: async (id) => {
      if ((await servers.get(id)).status.state !== 'connected') await servers.connect(id);
    },
    signedOut: async (id) => {
      await servers.disconnect(id);
      servers.setStatus(id, { state: 'stopped', reason: 'Signed out. Sign in to connect again.', authRequired: true });
    },
  });
  const remote = new RemoteConnections({
    fetchFor: (id) => signIn.fetchFor(id),
    getGrant: (id) => auth.getGrant(id),
  });
  // Tools, resources, prompts, client features, history and traffic. Recording waits while calls are in flight.
  const getServers = () => servers;
  const busy = () => tools.busy();
  const traffic = new TrafficService({ emit, busy, now: clock.now, secrets });
  const history = new HistoryService({ emit, busy, dataDir: ports.dataDir, secrets });
  const validators = new SchemaValidators();
  const tools = new ToolCalls({ servers: getServers, emit, validators, record: (call) => history.record(call), now: clock.now });
  const drift = new ToolDrift({ servers: getServers, emit, dataDir: ports.dataDir, now: clock.now });
  const resources = new ResourceService(getServers);
  const prompts = new PromptService(getServers);
  const roots = new Roots(ports.store, getServers);
  const serverMessages = new ServerMessages({ servers: getServers, emit, now: clock.now });
  const clientRequests = new ClientRequests({ servers: getServers, emit, now: clock.now, validators });
  const createClient = clientFactory({ validators, roots, requests: clientRequests, messages: serverMessages, emit, onToolListChanged: (id, client) => drift.refresh(id, client) });
  const servers: ServerManager = new ServerManager({
    createClient,
    wrapTransport: (id, transport) => traffic.wrapTransport(id, transport),
    onConnected: async (id) => {
      resources.onConnected(id);
      await tools.onConnected(id);
      drift.check(id);
    },
    repo,
    vault,
    emit,
    remote,
    onRemoved: async (id) => {
      // No snapshot, roots or traffic stays behind; history does (it is a record of what happened).
      drift.forget(id);
      roots.forget(id);
      traffic.forget(id);
      await signIn.forget(id);
    },
    env: async () => (await shellEnv).env,
    processes,
    now: clock.now,
    defaultConnectTimeoutMs: options.defaultConnectTimeoutMs,
    secrets,
  });

  const handlers: Handlers = {
    ...toolsHandlers({ calls: tools, drift }),
    ...resourcesHandlers({ resources }),
    ...promptsHandlers({ prompts }),
    ...clientFeaturesHandlers({ roots, requests: clientRequests, messages: serverMessages }),
    ...historyHandlers({ history }),
    ...trafficHandlers({ traffic }),
    ...appHandlers({ cipher: ports.cipher, store: ports.store, folderPicker: ports.folderPicker, appVersion: options.appVersion, platform: options.platform, startupNotices: options.startupNotices }),
    ...serverHandlers({ servers }),
    ...settingsHandlers({ store: ports.store }),
    ...authHandlers({ signIn }),
  };

  return {
    // No async wrapper: one promise layer fewer per call.
    dispatch: (name, request) => dispatch(handlers, name, request, options.onInternalError).then((envelope) => scrubEnvelope(name, envelope, secrets.scrubberForAll())),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    servers,
    tools,
    history,
    traffic,
    serverMessages,
    signIn,
    auth,
    vault,
    shellEnv,
    processes,
    start: async () => {
      await processes.ready;
      await servers.autoStart();
    },
    shutdown: async () => {
      await servers.shutdown();
      await processes.close();
      serverMessages.close();
      tools.abortAll('Shutting down.');
      clientRequests.close();
      traffic.close();
      await history.close();
    },
  };
}
