import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { AuthManager, createHeadlessBrowser, type AuthManagerDeps, type HttpExchange } from '../../electron/core/auth';
import { createConfStore } from '../../electron/core/node-ports/conf-store';
import { createKeyfileCipher } from '../../electron/core/node-ports/keyfile-cipher';
import type { BrowserOpener, Clock } from '../../electron/core/ports';
import { Vault } from '../../electron/core/vault/vault';

export interface Harness {
  dir: string;
  manager: AuthManager;
  browser: BrowserOpener & { opened: string[] };
  exchanges: HttpExchange[];
  changed: string[];
  vault: Vault;
  /** The decrypted token record of a server (test-only peek into the vault). */
  tokens(serverId: string): Promise<{ access_token: string; refresh_token?: string } | undefined>;
  /** Every file under dir, concatenated (to grep for plaintext secrets). */
  diskText(): string;
  cleanup(): void;
}

export function makeHarness(opts: { clock?: Clock; browser?: BrowserOpener; deps?: Partial<AuthManagerDeps>; dir?: string } = {}): Harness {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'sb-auth-'));
  const store = createConfStore(dir);
  const vault = new Vault(createKeyfileCipher(join(dir, 'keys', 'vault.key')), store);
  const inner = opts.browser ?? createHeadlessBrowser();
  const opened: string[] = [];
  const browser = {
    opened,
    async open(url: string) {
      opened.push(url);
      await inner.open(url);
    },
  };
  const exchanges: HttpExchange[] = [];
  const changed: string[] = [];
  const manager = new AuthManager({
    vault,
    store,
    browser,
    clock: opts.clock,
    onHttpExchange: (ex) => exchanges.push(ex),
    onGrantChanged: (id) => changed.push(id),
    signInTimeoutMs: 10_000,
    ...opts.deps,
  });
  const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
  return {
    dir,
    vault,
    async tokens(serverId) {
      const all = (store.get('vault') ?? {}) as Record<string, unknown>;
      const key = Object.keys(all).find((k) => k.startsWith(`auth:grant:${serverId}:`));
      const value = key ? await vault.read(key) : undefined;
      return value ? (JSON.parse(value) as { access_token: string; refresh_token?: string }) : undefined;
    },
    manager,
    browser,
    exchanges,
    changed,
    diskText: () =>
      walk(dir)
        .map((f) => readFileSync(f, 'utf8'))
        .join('\n'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Connects an SDK client through the manager's fetch and calls a tool. */
export async function callTool(manager: AuthManager, serverId: string, url: string, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const client = new Client({ name: 'auth-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), { fetch: manager.fetchFor(serverId) });
  try {
    await client.connect(transport);
    const result = await client.callTool({ name, arguments: args });
    const first = (result.content as { type: string; text?: string }[])[0];
    return first?.text ?? '';
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** Digs the first error of a given class out of SDK wrapping. */
export function findCause<T>(error: unknown, ctor: abstract new (...a: never[]) => T): T | undefined {
  let e: unknown = error;
  for (let i = 0; i < 6 && e; i++) {
    if (e instanceof ctor) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
