import { events as eventDefs, type EventName, type PayloadOf } from '../../shared/contract';
import { AuthManager, SignInService, authHandlers } from './auth';
import type { Emit } from './events';
import { createInspect, type InspectService } from './inspect';
import { dispatch, type Handlers } from './ipc/dispatch';
import { scrubEnvelope, scrubEvent } from './ipc/scrub-outbound';
import type { CorePorts } from './ports';
import { systemClock } from './ports';
import { appHandlers } from './app';
import { clientConfigsHandlers } from './client-configs';
import { RemoteConnections } from './remote';
import { ProcessGuard, resolveShellEnv, serverHandlers, ServerManager, ServerRepo, type ShellEnvResult } from './servers';
import { applyExtraCaCertificates } from './tls/extra-ca';
import { migrateSettings, readPreferences, securePrivateDir, settingsHandlers } from './settings';
import { KnownSecrets } from './traffic/known-secrets';
import { Vault } from './vault';

// Composes the core from its ports. The Electron main process, the e2e bridge
// and the benchmarks all build the app through here, so they run the same code.

export type EventListener = <E extends EventName>(name: E, payload: PayloadOf<E>) => void;

export interface Core {
  dispatch(name: string, request: unknown): ReturnType<typeof dispatch>;
  onEvent(listener: EventListener): () => void;
  servers: ServerManager;
  inspect: InspectService;
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
      inspect.service.drainTraffic();
      inspect.service.traffic.recordHttp(exchange.serverId, exchange);
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
  const inspect = createInspect({ servers: () => servers, store: ports.store, emit, dataDir: ports.dataDir, now: clock.now, secrets });
  const servers: ServerManager = new ServerManager({
    createClient: (id) => inspect.service.createClient(id),
    wrapTransport: (id, transport) => inspect.service.wrapTransport(id, transport),
    onConnected: (id, client) => inspect.service.onConnected(id, client),
    repo,
    vault,
    emit,
    remote,
    onRemoved: async (id) => {
      inspect.service.forgetServer(id);
      await signIn.forget(id);
    },
    env: async () => (await shellEnv).env,
    processes,
    now: clock.now,
    defaultConnectTimeoutMs: options.defaultConnectTimeoutMs,
    secrets,
  });

  const handlers: Handlers = {
    ...inspect.handlers,
    ...appHandlers({ cipher: ports.cipher, store: ports.store, folderPicker: ports.folderPicker, appVersion: options.appVersion, platform: options.platform, startupNotices: options.startupNotices }),
    ...serverHandlers({ servers }),
    ...settingsHandlers({ store: ports.store }),
    ...authHandlers({ signIn }),
    ...clientConfigsHandlers({
      env: async () => (await shellEnv).env,
      platform: process.platform,
      listServers: () => servers.list(),
      addServer: (input) => servers.add(input),
      stored: (id) => servers.config.stored(id),
      secretValue: async (id, kind, name) => {
        const got = await servers.config.resolveValues(id, kind, [{ name, secret: true }]);
        return 'values' in got ? got.values[name] : undefined;
      },
    }),
  };

  return {
    dispatch: async (name, request) => scrubEnvelope(name, await dispatch(handlers, name, request, options.onInternalError), secrets.scrubberForAll()),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    servers,
    inspect: inspect.service,
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
      await inspect.service.close();
    },
  };
}
