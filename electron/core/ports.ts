// The small interfaces the core needs from its host. The Electron main process
// implements them with safeStorage / electron-store / shell.openExternal; Node
// tests and the e2e bridge implement them with AES-GCM key files, `conf` and
// Playwright pages. Nothing in electron/core may import electron itself.

import type { DesktopTarget, NotificationKind } from '../../shared/contract';
import type { UpdateEngine } from './updates';

/** Encrypts secrets at rest. Ciphertext is opaque base64 text. */
export interface Cipher {
  /**
   * Name of the backend, recorded next to every ciphertext as a hint for error
   * messages (e.g. "safeStorage:gnome_libsecret", "aes-256-gcm-keyfile"). On Linux
   * it is Electron's guess from the desktop environment, not proof of which key
   * provider actually encrypted: never gate decryption or trust on it.
   */
  readonly backend: () => Promise<string>;
  /** False when the backend offers no real protection (Linux `basic_text`, or the fixed-key fallback). */
  readonly isSecure: () => Promise<boolean>;
  encrypt(plaintext: string): Promise<string>;
  /**
   * Throws when the ciphertext cannot be decrypted (other backend, rotated key, tampering).
   * `shouldReEncrypt`: the key rotated or a better one is available; encrypt again and save.
   */
  decrypt(ciphertext: string): Promise<Decrypted>;
}

export interface Decrypted {
  plaintext: string;
  shouldReEncrypt: boolean;
  /** Decrypted with a fixed, public key (Linux basic_text / fallback): anyone could have written this ciphertext. */
  weakKey?: boolean;
}

/** A persistent JSON key-value store with atomic writes (electron-store / conf). */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  has(key: string): boolean;
}

/** Opens a URL in the user's browser. Callers must have validated the URL already. */
export interface BrowserOpener {
  open(url: string): Promise<void>;
}

/** The OS folder picker; resolves undefined when the user cancels. */
export interface FolderPicker {
  choose(title?: string): Promise<string | undefined>;
}

/** How to run a plain Node.js program (`<command> -e <source> ...`), for the process watchdog. */
export interface NodeRuntime {
  command: string;
  env?: NodeJS.ProcessEnv;
}

/** An OS notification (desktop/notifications.ts decides when, and writes the text from names and counts only). */
export interface DesktopNotification {
  kind: NotificationKind;
  title: string;
  body: string;
  /** What a click opens. */
  target: DesktopTarget;
}

/** The OS notification centre (Electron's Notification in the app). */
export interface Notifier {
  /** False where the OS has no notification service. */
  supported(): boolean;
  show(notification: DesktopNotification): void;
}

/** Whether the OS offers something, and why not. */
export interface Availability {
  supported: boolean;
  reason?: string;
}

/** The desktop shell around the window: notifications, the login item, the file manager, the save dialog. */
export interface DesktopPorts {
  notifier?: Notifier;
  loginItem?: {
    availability(): Availability;
    /** What the OS has now. */
    get(): boolean;
    set(openAtLogin: boolean): void;
  };
  /** Opens a folder in the file manager (shell.openPath); resolves to an error message, or '' on success. */
  openFolder?: (path: string) => Promise<string>;
  /** The save dialog; resolves undefined when the user cancels. */
  chooseSavePath?: (defaultName: string) => Promise<string | undefined>;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * The HTTP client for everything the core sends over the network (MCP
 * transports, OAuth discovery, registration, tokens, revocation). The app passes
 * Electron's net.fetch (system proxy, PAC, OS trust store); Node hosts leave it
 * out and get Node's fetch. Traffic recording wraps whatever this is.
 */
export type FetchPort = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface CorePorts {
  cipher: Cipher;
  store: KeyValueStore;
  browser: BrowserOpener;
  folderPicker?: FolderPicker;
  clock?: Clock;
  /** Directory for the core's own files (history, logs). */
  dataDir: string;
  /** Environment used to resolve commands and spawn stdio servers; defaults to the login-shell environment. */
  env?: NodeJS.ProcessEnv;
  /**
   * Runs the watchdog that terminates servers when the core dies (servers/process-guard.ts).
   * Default: this process's own binary under plain Node; none under Electron unless given.
   * null: no watchdog (the startup reaper still covers a crash, on the next start).
   */
  nodeRuntime?: NodeRuntime | null;
  /**
   * How a stdio-only client starts the gateway bridge (before `--mcp-bridge --server-url …`):
   * the app's own executable in Electron; absent, Claude Desktop exports through the gateway are refused.
   */
  bridgeCommand?: { command: string; args: string[] } | null;
  /** Skip resolving the login shell environment (tests pass an explicit env). */
  skipShellEnv?: boolean;
  /** Base fetch for all outgoing HTTP; defaults to Node's global fetch. */
  fetch?: FetchPort;
  /** The updater (electron-updater's autoUpdater in the app); absent, the app says it cannot update itself. */
  updateEngine?: UpdateEngine;
  /**
   * The origin on which the host serves one server's MCP App documents (core.apps.documents.serve), from the
   * server's opaque label. Default: `switchboard-app://<label>` (the app's privileged scheme); the e2e harness
   * serves `http://<label>.localhost:<port>`. It must never be the renderer's own origin.
   */
  appFrameOrigin?: (label: string) => string;
  /** Notifications, launch at login, the data folder, the save dialog (absent: each reports itself unavailable). */
  desktop?: DesktopPorts;
}

/** The app's scheme for MCP App documents (electron/main registers it; one host per server). */
export const APP_FRAME_SCHEME = 'switchboard-app';
