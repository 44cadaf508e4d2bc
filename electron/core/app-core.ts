import { join } from 'node:path';
import { events as eventDefs, type PayloadOf } from '../../shared/contract';
import { AuthManager, SignInService, authHandlers } from './auth';
import type { Emit } from './events';
import { HookBus } from './hooks';
import {
  ClientRequests,
  clientFactory,
  clientFeaturesHandlers,
  describeUrlElicitation,
  MAX_ELICITATIONS_PER_ERROR,
  Roots,
  ServerMessages,
  withUrlElicitationRequired,
} from './client-features';
import { assertSafeUrl } from './net/url-policy';
import { gatewayHandlers, GatewayService } from './gateway';
import { historyHandlers, HistoryService } from './history';
import { dispatch, type Handlers } from './ipc/dispatch';
import { scrubEnvelope, scrubEvent } from './ipc/scrub-outbound';
import type { CorePorts } from './ports';
import type { Core, CoreOptions, EventListener } from './core-api';
import { APP_FRAME_SCHEME, systemClock } from './ports';
import { appHandlers } from './app';
import { ClientConfigWatcher, clientConfigsHandlers } from './client-configs';
import { InstallLinkQueue, installLinksHandlers } from './install-links';
import { RegistryService, registryHandlers } from './registry';
import { RemoteConnections } from './remote';
import { ProcessGuard, resolveShellEnv, serversHandlers, ServerManager, ServerRepo, type ShellEnvResult } from './servers';
import { applyExtraCaCertificates } from './tls/extra-ca';
import { migrateSettings, readPreferences, securePrivateDir, settingsHandlers } from './settings';
import { PromptService, promptsHandlers } from './prompts';
import { ResourceService, resourcesHandlers } from './resources';
import { SchemaValidators, ToolCalls, ToolDrift, toolsHandlers, type CallsInFlight } from './tools';
import { KnownSecrets, TrafficService, trafficHandlers } from './traffic';
import { TaskService, tasksHandlers, tasksTransport } from './tasks';
import { UpdateService, updatesHandlers, type AutoCheck } from './updates';
import { AppService, mcpAppsHandlers } from './mcp-apps';
import { Vault } from './vault';
import { DesktopService, desktopHandlers, environmentSummary, InternalErrorLog } from './desktop';

// Composes the core from its ports. The Electron main process, the e2e bridge
// and the benchmarks all build the app through here, so they run the same code.

export type { Core, CoreOptions, EventListener } from './core-api';

const UPDATE_AUTO_CHECK: AutoCheck = { firstAfterMs: 60_000, everyMs: 6 * 60 * 60_000 };

/** Under plain Node (tests, development): the bridge's TypeScript entry through tsx. */
const NODE_BRIDGE = { command: process.execPath, args: ['--import', 'tsx', join(import.meta.dirname, 'gateway', 'bridge-cli.ts')] };

export function createCore(ports: CorePorts, coreOptions: CoreOptions = {}): Core {
  // Internal errors are also kept (bounded) for the diagnostics bundle.
  const internalErrors = new InternalErrorLog(ports.clock?.now ?? systemClock.now);
  const options: CoreOptions = {
    ...coreOptions,
    onInternalError: (method, error) => {
      internalErrors.record(method, error);
      coreOptions.onInternalError?.(method, error);
    },
  };
  // Composed in dependency order: each feature gets only what was built before it.
  // Cross-feature events (a server connected or was removed, a sign-in finished)
  // travel on the hook bus; the subscriptions come after everything is built.
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
  const hooks = new HookBus((hook, error) => options.onInternalError?.(`hook:${hook}`, error));

  // Settings, vault, environment, processes.
  const vault = new Vault(ports.cipher, ports.store, {
    allowInsecurePersistence: () => Boolean(readPreferences(ports.store).allowInsecureSecretStorage),
    now: clock.now,
  });
  const shellEnv = ports.skipShellEnv || ports.env ? Promise.resolve<ShellEnvResult>({ env: ports.env ?? process.env, source: 'process' }) : resolveShellEnv();
  // Trust the CA certificates the user configured in their shell, as their terminal tools do.
  void shellEnv.then(({ env }) => {
    const extra = applyExtraCaCertificates(env);
    if (extra.error) options.onInternalError?.('NODE_EXTRA_CA_CERTS', new Error(extra.error));
  });
  // Reaps the previous run's orphans now; records this run's server processes from here on.
  const processes = new ProcessGuard({
    dataDir: ports.dataDir,
    nodeRuntime: ports.nodeRuntime !== undefined ? ports.nodeRuntime : process.versions.electron ? null : { command: process.execPath },
  });
  const repo = new ServerRepo(ports.store);

  // Recording (history, traffic) waits while tool calls are in flight.
  const inFlight: CallsInFlight = new Map();
  const busy = () => inFlight.size > 0;
  const traffic = new TrafficService({ emit, busy, now: clock.now, secrets });
  const history = new HistoryService({ emit, busy, dataDir: ports.dataDir, secrets });

  // Sign-in and remote connections.
  const auth = new AuthManager({
    vault,
    store: ports.store,
    browser: ports.browser,
    clock,
    // Every MCP and OAuth request goes out through the host's fetch (net.fetch in the app).
    fetch: ports.fetch,
    onGrantChanged: (serverId) =>
      void auth.getGrant(serverId).then(
        (grant) => emit('grantChanged', { serverId, grant }),
        () => undefined,
      ),
    // OAuth and MCP HTTP requests show up in the server's traffic view (the recorder redacts).
    onHttpExchange: (exchange) => {
      if (exchange.serverId) hooks.emit('httpExchange', { serverId: exchange.serverId, exchange });
    },
    onSecret: (serverId, value) => secrets.add(serverId, value),
  });
  const signIn = new SignInService({ auth, repo, vault, hooks });
  const remote = new RemoteConnections({ fetchFor: (id) => signIn.fetchFor(id), getGrant: (id) => auth.getGrant(id) });

  // What a connection's SDK client answers for the user: roots, elicitation, sampling, server messages.
  const validators = new SchemaValidators();
  const roots = new Roots(ports.store);
  const serverMessages = new ServerMessages({ emit, now: clock.now });
  const serverUrl = (id: string): URL | undefined => {
    const stored = repo.get(id);
    if (stored?.transport !== 'http') return undefined;
    try {
      return new URL(stored.url);
    } catch {
      return undefined;
    }
  };
  const clientRequests = new ClientRequests({
    serverName: (id) => repo.get(id)?.name,
    emit,
    now: clock.now,
    validators,
    // URL elicitations open only after consent, through the one URL policy and the browser port.
    openUrl: (id, url) => ports.browser.open(assertSafeUrl(url, 'elicitation', { serverUrl: serverUrl(id) }).href),
  });
  // A -32042 error: each URL elicitation it names gets the consent dialog; the user retries the request afterwards.
  const offerUrlElicitations = (serverId: string, elicitations: unknown[]) => {
    for (const e of elicitations.slice(0, MAX_ELICITATIONS_PER_ERROR))
      clientRequests.offer(serverId, describeUrlElicitation(e && typeof e === 'object' ? e : {}, serverUrl(serverId), 'error'));
  };
  const createClient = clientFactory({
    serverUrl,
    validators,
    roots,
    requests: clientRequests,
    messages: serverMessages,
    emit,
    onToolListChanged: (serverId, client) => hooks.emitAndWait('toolListChanged', { serverId, client }),
    // Composed below; notifications arrive only once a server is connected.
    onTaskStatus: (serverId, params) => tasks.onStatus(serverId, params),
    onNotification: (serverId, method, params) => gateway.upstreamNotification(serverId, method, params),
    // Elicitation and sampling during a gateway call: to the downstream client that caused it, or the dialog names it.
    route: (serverId, request, signal) => gateway.route(serverId, request, signal),
  });

  // Servers: configuration, launch trust, processes and connections.
  const servers = new ServerManager({
    createClient,
    // The tasks extension's edge sits above the recorder, so traffic shows what went over the wire.
    wrapTransport: (id, transport) => tasksTransport(traffic.wrapTransport(id, transport)),
    onConnected: (serverId, client) => hooks.emitAndWait('serverConnected', { serverId, client }),
    onRemoved: (serverId) => hooks.emitAndWait('serverRemoved', { serverId }),
    repo,
    vault,
    emit,
    remote,
    env: async () => (await shellEnv).env,
    processes,
    now: clock.now,
    defaultConnectTimeoutMs: options.defaultConnectTimeoutMs,
    secrets,
  });

  // What the inspector does with a connected server.
  // Tasks come before tools: a tool call asks the tasks feature whether to run as a task and hands it the task.
  const tasks = new TaskService({
    servers: () => servers,
    store: ports.store,
    emit,
    requests: clientRequests,
    record: (call) => history.record(call),
    serverName: (id) => repo.get(id)?.name ?? id,
    now: clock.now,
  });
  const tools = new ToolCalls({
    servers: () => servers,
    inFlight,
    emit,
    validators,
    record: (call) => history.record(call),
    now: clock.now,
    onUrlElicitationRequired: offerUrlElicitations,
    tasks: () => tasks,
  });
  const drift = new ToolDrift({ servers: () => servers, emit, dataDir: ports.dataDir, now: clock.now, onChecked: (id) => gateway.toolsChanged(id) });
  const resources = new ResourceService(
    () => servers,
    (serverId, error) => serverMessages.push(serverId, { kind: 'other', text: `subscriptions/listen failed: ${error.message}` }),
  );
  const prompts = new PromptService(() => servers);
  // MCP Apps: the app's tool calls go through the same ToolCalls (History names the app as the client).
  const apps = new AppService({
    servers: () => servers,
    callTool: (req, via) => tools.callTool(req, via),
    record: (call) => history.record(call),
    serverName: (id) => repo.get(id)?.name ?? id,
    serverUrl,
    browser: ports.browser,
    frameOrigin: ports.appFrameOrigin ?? ((label) => `${APP_FRAME_SCHEME}://${label}`),
    now: clock.now,
  });

  // The local gateway: calls go through the same ToolCalls (history names the client) on the same connections.
  const gateway = new GatewayService({
    store: ports.store,
    vault,
    emit,
    now: clock.now,
    version: options.appVersion ?? '0.0.0',
    upstream: (id) => servers.client(id),
    isConnected: (id) => repo.get(id) !== undefined && servers.runtime.state(id).status.state === 'connected',
    knownServer: (id) => repo.get(id) !== undefined,
    serverName: (id) => repo.get(id)?.name ?? id,
    tools: (id) => servers.tools.get(id),
    unacknowledged: (id) => drift.unacknowledged(id),
    callTool: (req, via) => tools.callTool(req, via),
    ownCallsOn: (id) => tools.ownCallsOn(id),
    tasks,
    scrub: () => secrets.scrubberForAll(),
    // A session's resources/subscribe: the managed connection subscribes once (it shows in the server's subscriptions).
    subscribeUpstream: async (id, uri) => {
      if (!resources.subscribed(id).includes(uri)) await resources.subscribe(id, uri, true);
    },
    onError: (error) => options.onInternalError?.('gateway', error),
    // Queued like the upstream messages and redacted in their batch, off the call path (reads drain first).
    recordExchange: (serverId, exchange) => traffic.enqueueHttp(serverId, exchange),
    limits: options.gatewayLimits,
  });
  // A server going up or down changes what a combined endpoint lists.
  listeners.add((name, payload) => {
    if (name === 'serverChanged') {
      const { server } = payload as PayloadOf<'serverChanged'>;
      gateway.serverChanged(server.id, server.status.state === 'connected');
    }
  });

  // Who reacts to what, in this order.
  // Queued behind the JSON-RPC messages seen before it finished, and redacted with them in the next batch (off the call path).
  hooks.on('httpExchange', ({ serverId, exchange }) => traffic.enqueueHttp(serverId, exchange));
  hooks.on('serverConnected', ({ serverId, client }) => resources.onConnected(serverId, client));
  hooks.on('serverConnected', ({ serverId }) => tools.onConnected(serverId));
  hooks.on('serverConnected', ({ serverId }) => drift.check(serverId));
  hooks.on('serverConnected', ({ serverId }) => tasks.onConnected(serverId));
  hooks.on('toolListChanged', ({ serverId, client }) =>
    drift
      .refresh(serverId, client)
      .catch((error: Error) => serverMessages.push(serverId, { kind: 'other', text: `tools/list after list_changed failed: ${error.message}` })),
  );
  // No snapshot, roots, traffic or grant stays behind a removed server; history does (it is a record of what happened).
  hooks.on('serverRemoved', ({ serverId }) => drift.forget(serverId));
  hooks.on('serverRemoved', ({ serverId }) => tasks.forget(serverId));
  hooks.on('serverRemoved', ({ serverId }) => roots.forget(serverId));
  hooks.on('serverRemoved', ({ serverId }) => resources.onDisconnected(serverId));
  hooks.on('serverRemoved', ({ serverId }) => traffic.forget(serverId));
  hooks.on('serverRemoved', ({ serverId }) => signIn.forget(serverId));
  hooks.on('serverRemoved', ({ serverId }) => apps.forget(serverId));
  // After a sign-in or step-up the live session simply carries the new token; only a server that is down reconnects.
  hooks.on('signedIn', async ({ serverId }) => {
    if ((await servers.get(serverId)).status.state !== 'connected') await servers.connect(serverId);
  });
  hooks.on('signedOut', async ({ serverId }) => {
    await servers.disconnect(serverId);
    servers.setStatus(serverId, { state: 'stopped', reason: 'Signed out. Sign in to connect again.', authRequired: true });
  });

  const installLinks = new InstallLinkQueue({ emit });
  const clientConfigWatcher = new ClientConfigWatcher(
    { env: async () => (await shellEnv).env, platform: process.platform, store: ports.store, emit },
    options.watchClientConfigs || {},
  );

  // Desktop conventions: notifications follow the core's events (after the outbound scrub).
  const desktop = new DesktopService({
    store: ports.store,
    ports: ports.desktop ?? {},
    dataDir: ports.dataDir,
    emit,
    now: clock.now,
    serverName: (id) => repo.get(id)?.name,
    listServers: () => servers.list(),
    errors: internalErrors,
    diagnostics: {
      vault,
      knownSecrets: secrets,
      serverLog: (id) => servers.getLog(id),
      environment: environmentSummary(options.appVersion),
    },
  });
  listeners.add((name, payload) => desktop.notifications.onEvent(name, payload));
  const updates = new UpdateService({
    store: ports.store,
    engine: ports.updateEngine,
    emit,
    now: clock.now,
    appVersion: options.appVersion ?? '0.0.0',
    autoCheck: options.updateAutoCheck ?? UPDATE_AUTO_CHECK,
  });

  // Any request to a server failing with -32042 also gets the URL-elicitation consent dialog.
  const handlers: Handlers = {
    ...toolsHandlers({ calls: tools, drift }),
    ...tasksHandlers({ tasks }),
    ...withUrlElicitationRequired({ ...resourcesHandlers({ resources }), ...promptsHandlers({ prompts }) }, offerUrlElicitations),
    ...clientFeaturesHandlers({ roots, requests: clientRequests, messages: serverMessages, servers }),
    ...historyHandlers({ history }),
    ...trafficHandlers({ traffic }),
    ...appHandlers({
      cipher: ports.cipher,
      store: ports.store,
      folderPicker: ports.folderPicker,
      appVersion: options.appVersion,
      platform: options.platform,
      startupNotices: options.startupNotices,
    }),
    ...serversHandlers({ servers }),
    ...settingsHandlers({ store: ports.store }),
    ...authHandlers({ signIn }),
    ...registryHandlers({
      registry: new RegistryService({
        store: ports.store,
        dataDir: ports.dataDir,
        fetch: ports.fetch,
        listServers: () => servers.list(),
        addServer: (input) => servers.add(input),
      }),
    }),
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
      watcher: clientConfigWatcher,
      gateway: {
        client: (id) => gateway.exportClient(id),
        bridgeCommand: ports.bridgeCommand !== undefined ? ports.bridgeCommand : process.versions.electron ? null : NODE_BRIDGE,
      },
    }),
    ...installLinksHandlers({ queue: installLinks }),
    ...gatewayHandlers({ gateway }),
    ...updatesHandlers({ updates }),
    ...mcpAppsHandlers({ apps }),
    ...desktopHandlers({ desktop }),
  };

  return {
    // No async wrapper: one promise layer fewer per call.
    dispatch: (name, request) =>
      dispatch(handlers, name, request, options.onInternalError).then((envelope) => scrubEnvelope(name, envelope, secrets.scrubberForAll())),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    servers,
    tools,
    tasks,
    history,
    traffic,
    serverMessages,
    signIn,
    auth,
    vault,
    shellEnv,
    processes,
    installLinks,
    gateway,
    updates,
    apps,
    desktop,
    start: async () => {
      if (options.watchClientConfigs !== false) clientConfigWatcher.start().catch((error: unknown) => options.onInternalError?.('watchClientConfigs', error));
      updates.start();
      await processes.ready;
      await gateway.start();
      await servers.autoStart();
    },
    shutdown: async () => {
      clientConfigWatcher.stop();
      updates.close();
      // The gateway stops with the core, before the servers it fronts.
      await gateway.stop();
      await servers.shutdown();
      await processes.close();
      serverMessages.close();
      tools.abortAll('Shutting down.');
      tasks.close();
      clientRequests.close();
      traffic.close();
      await history.close();
    },
  };
}
