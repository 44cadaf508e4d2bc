import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import type { ToolDiff, ToolView } from '../../../shared/contract';
import type { Emit } from '../events';
import { listAllTools, type ServerManager } from '../servers';
import { SnapshotStore } from './snapshot-store';
import { diffTools } from './tool-diff';

// Tool-definition drift: the first tool list a server shows is kept as a
// snapshot; later lists are compared with it until the user acknowledges them.

export interface ToolDriftDeps {
  servers: () => ServerManager;
  emit: Emit;
  dataDir: string;
  now: () => number;
  /** After every check (connect, list_changed, acknowledge): what gateway clients may see could have changed. */
  onChecked?: (serverId: string) => void;
}

export class ToolDrift {
  private readonly snapshots: SnapshotStore;
  private readonly diffs = new Map<string, ToolDiff>();

  constructor(private readonly deps: ToolDriftDeps) {
    this.snapshots = new SnapshotStore(join(deps.dataDir, 'tool-snapshots'));
  }

  /** Compares what the server offers now with its snapshot. */
  check(serverId: string): void {
    const tools = this.deps.servers().tools.get(serverId);
    const snapshot = this.snapshots.get(serverId);
    if (!snapshot) {
      this.snapshots.set(serverId, { takenAt: this.deps.now(), tools });
      this.setDiff(serverId, null);
      return;
    }
    const changes = diffTools(snapshot.tools, tools);
    this.setDiff(serverId, changes.length ? { serverId, snapshotAt: snapshot.takenAt, changes } : null);
  }

  /** After tools/list_changed: re-list, replace the catalogue, compare. Rejects when the list fails. */
  async refresh(serverId: string, client: Client): Promise<void> {
    const tools = await listAllTools(client);
    this.deps.servers().setTools(serverId, tools);
    this.check(serverId);
    this.deps.emit('listChanged', { serverId, list: 'tools' });
  }

  getDiff(serverId: string): ToolDiff | null {
    return this.diffs.get(serverId) ?? null;
  }

  /** Tools added or changed since the acknowledged snapshot: hidden from gateway clients until the user acknowledges them. */
  unacknowledged(serverId: string): ReadonlySet<string> {
    const diff = this.diffs.get(serverId);
    return new Set(diff ? diff.changes.filter((c) => c.kind !== 'removed').map((c) => c.name) : []);
  }

  acknowledge(serverId: string): void {
    const tools: ToolView[] = this.deps.servers().listTools(serverId);
    this.snapshots.set(serverId, { takenAt: this.deps.now(), tools });
    this.setDiff(serverId, null);
  }

  forget(serverId: string): void {
    this.snapshots.delete(serverId);
  }

  private setDiff(serverId: string, diff: ToolDiff | null): void {
    const had = this.diffs.has(serverId);
    if (diff) this.diffs.set(serverId, diff);
    else this.diffs.delete(serverId);
    if (diff || had) this.deps.emit('toolDiffChanged', { serverId, diff });
    this.deps.onChecked?.(serverId);
  }
}
