import type { EventName, PayloadOf } from '../../shared/contract';
import type { AuthManager, SignInService } from './auth';
import type { ServerMessages } from './client-features';
import type { WatchOptions } from './client-configs';
import type { DesktopService } from './desktop';
import type { GatewayLimits, GatewayService } from './gateway';
import type { HistoryService } from './history';
import type { InstallLinkQueue } from './install-links';
import type { dispatch } from './ipc/dispatch';
import type { AppService } from './mcp-apps';
import type { ProcessGuard, ServerManager, ShellEnvResult } from './servers';
import type { TaskService } from './tasks';
import type { ToolCalls } from './tools';
import type { TrafficService } from './traffic';
import type { AutoCheck, UpdateService } from './updates';
import type { Vault } from './vault';

// What createCore (app-core.ts) hands its hosts, and the options they pass it: the
// surface the Electron main process, the e2e bridge and the benchmarks program against.

export type EventListener = <E extends EventName>(name: E, payload: PayloadOf<E>) => void;

export interface Core {
  dispatch(name: string, request: unknown): ReturnType<typeof dispatch>;
  onEvent(listener: EventListener): () => void;
  servers: ServerManager;
  tools: ToolCalls;
  tasks: TaskService;
  history: HistoryService;
  traffic: TrafficService;
  serverMessages: ServerMessages;
  signIn: SignInService;
  auth: AuthManager;
  vault: Vault;
  processes: ProcessGuard;
  /** Links from the OS: parsed and held for the renderer; they only prefill the Add-server form. */
  installLinks: InstallLinkQueue;
  /** The local gateway other MCP clients use (off by default). */
  gateway: GatewayService;
  /** Auto-update: consent, channel, off switch. */
  updates: UpdateService;
  /** MCP Apps: the documents the host serves on each server's own origin (documents.serve). */
  apps: AppService;
  /** Tray model, notifications, window bounds, data folder, diagnostics. */
  desktop: DesktopService;
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
  /** Watching the clients' config files from start(): off (false) or faster in tests. */
  watchClientConfigs?: false | WatchOptions;
  /** Gateway limits (tests lower them). */
  gatewayLimits?: Partial<GatewayLimits>;
  /** Background update checks (never downloads): default a minute after start, then every 6 hours; false: only when asked. */
  updateAutoCheck?: AutoCheck | false;
}
