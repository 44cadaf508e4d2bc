import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RegistryEntry, RegistryInstallOption, RegistrySettings, ServerInput, ServerView } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract/errors';
import { assertSafeUrl } from '../net/url-policy';
import type { FetchPort, KeyValueStore } from '../ports';
import { settingsKey } from '../settings';
import { RegistryClient, type RegistryItem } from './client';
import { mapPackage, mapRemote, type Answers, type Mapped } from './launch-spec';
import { downloadVerified, mcpbProblem, unpackVerified } from './mcpb';
import { manifestToServer, manifestVariables, readManifest } from './mcpb-manifest';
import type { ServerJson } from './server-json';

// Browse the configured registry, plan an install (what each package or remote
// becomes, what to ask), and install: re-read the server.json, apply the
// answers, add through the servers feature. A stdio server added that way
// still needs the user's launch approval (showing the exact command) to run.

export const DEFAULT_REGISTRY_URL = 'https://registry.modelcontextprotocol.io';

export interface RegistryDeps {
  store: KeyValueStore;
  dataDir: string;
  fetch?: FetchPort;
  listServers: () => Promise<ServerView[]>;
  /** The servers feature's add: validation, secrets to the vault, launch approval still required. */
  addServer: (input: ServerInput) => Promise<ServerView>;
}

const text = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 3)}...` : s);

function summary({ server, status }: RegistryItem): RegistryEntry {
  return {
    name: server.name,
    title: server.title,
    description: server.description,
    version: server.version,
    status,
    packages: (server.packages ?? []).map((p) => ({
      registryType: text(p.registryType, 40),
      identifier: text(p.identifier, 200),
      version: p.version,
      transport: p.transport.type,
    })),
    remotes: (server.remotes ?? []).map((r) => ({ type: r.type, url: text(r.url, 300) })),
  };
}

export class RegistryService {
  constructor(private readonly deps: RegistryDeps) {}

  getSettings(): RegistrySettings {
    return { url: settingsKey(this.deps.store, 'registry').read().url ?? DEFAULT_REGISTRY_URL, defaultUrl: DEFAULT_REGISTRY_URL };
  }

  setSettings(url: string): RegistrySettings {
    const value = url.trim() === '' ? DEFAULT_REGISTRY_URL : url.trim();
    assertSafeUrl(value, 'external-link', { what: 'registry URL' });
    const current = settingsKey(this.deps.store, 'registry');
    current.write({ ...current.read(), url: value === DEFAULT_REGISTRY_URL ? undefined : value.replace(/\/+$/, '') });
    return this.getSettings();
  }

  async search(search: string | undefined, cursor: string | undefined) {
    const page = await this.client().search(search, cursor);
    return { entries: page.items.map(summary), nextCursor: page.nextCursor, skipped: page.skipped };
  }

  async versions(name: string) {
    return { versions: (await this.client().versions(name)).filter((i) => i.server.name === name).map((i) => i.server.version) };
  }

  async plan(name: string, version: string) {
    const { server } = await this.client().version(name, version);
    const options: RegistryInstallOption[] = this.options(server, this.baseUrl()).map(({ label, kind, mapped, fileSha256 }, option) => ({
      option,
      label,
      kind,
      becomes: mapped.refused ? undefined : mapped.becomes,
      variables: mapped.variables,
      refused: mapped.refused,
      fileSha256,
    }));
    return { name: server.name, version: server.version, description: server.description, options };
  }

  async install(name: string, version: string, option: number, values: Answers, serverName?: string): Promise<{ server: ServerView }> {
    const { server } = await this.client().version(name, version);
    const registryUrl = this.baseUrl();
    const chosen = this.options(server, registryUrl, values)[option];
    if (!chosen) throw new IpcError('VALIDATION', `${name} ${version} has no install option ${option}.`);
    if (chosen.mcpb) {
      // Verified before anything else happens; a mismatch throws and keeps nothing.
      // Only then unpacked and its manifest read; its user_config is only known now,
      // so missing required values come back as one error listing them.
      const path = await downloadVerified(this.deps.fetch ?? fetch, this.deps.dataDir, chosen.mcpb.url, chosen.mcpb.fileSha256, registryUrl);
      const dir = unpackVerified(path);
      const input = manifestToServer(readManifest(dir), dir, serverName?.trim() || (await this.freeName(server)), values);
      return { server: await this.deps.addServer(input) };
    }
    const { mapped } = chosen;
    if (mapped.refused || !mapped.input) throw new IpcError('VALIDATION', mapped.refused ?? 'This option cannot be installed.');
    const input = { ...mapped.input, name: serverName?.trim() || (await this.freeName(server)) };
    return { server: await this.deps.addServer(input) };
  }

  /** Packages first, then remotes, in the server.json's order (the option index the renderer sends back). */
  private options(server: ServerJson, registryUrl: URL, answers?: Answers) {
    const name = text(server.title?.trim() || server.name.split('/').pop() || server.name, 100);
    const packages = (server.packages ?? []).map((pkg) => {
      const label = `${pkg.registryType} ${text(pkg.identifier, 120)}${pkg.version ? ` ${pkg.version}` : ''}`;
      if (pkg.registryType === 'mcpb') {
        const problem = mcpbProblem(pkg.identifier, pkg.fileSha256, registryUrl);
        const mapped: Mapped = { variables: problem ? [] : this.knownBundleVariables(pkg.fileSha256!), refused: problem };
        return {
          label,
          kind: 'package' as const,
          mapped,
          fileSha256: pkg.fileSha256,
          mcpb: problem ? undefined : { url: pkg.identifier, fileSha256: pkg.fileSha256 },
        };
      }
      return { label, kind: 'package' as const, mapped: mapPackage(name, pkg, answers), fileSha256: undefined, mcpb: undefined };
    });
    const remotes = (server.remotes ?? []).map((remote) => ({
      label: `remote ${remote.type} ${text(remote.url, 200)}`,
      kind: 'remote' as const,
      mapped: mapRemote(name, remote, registryUrl, answers),
      fileSha256: undefined,
      mcpb: undefined,
    }));
    return [...packages, ...remotes];
  }

  /**
   * A bundle's user_config is only known once it is verified and unpacked: the
   * first install does that and, if values are missing, says which; the plan
   * asked again then lists them. Unknown (not yet downloaded): none.
   */
  private knownBundleVariables(fileSha256: string) {
    const dir = join(this.deps.dataDir, 'registry-bundles', fileSha256.toLowerCase());
    try {
      return existsSync(join(dir, 'manifest.json')) ? manifestVariables(readManifest(dir)) : [];
    } catch {
      return [];
    }
  }

  /** The server's title or short name, made unique among the existing servers. */
  private async freeName(server: ServerJson): Promise<string> {
    const base = text(server.title?.trim() || server.name.split('/').pop() || server.name, 90);
    const taken = new Set((await this.deps.listServers()).map((s) => s.name.toLowerCase()));
    let candidate = base;
    for (let i = 2; taken.has(candidate.toLowerCase()) && i < 1000; i++) candidate = `${base}-${i}`;
    return candidate;
  }

  /** The settings file is hostile input too: the stored URL is checked on every use. */
  private baseUrl(): URL {
    return assertSafeUrl(this.getSettings().url, 'external-link', { what: 'registry URL' });
  }

  private client(): RegistryClient {
    return new RegistryClient(this.baseUrl(), this.deps.fetch);
  }
}
