import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ToolView } from '../../../shared/contract';

// Tool-definition snapshots, one small JSON file per server. They live beside
// the settings, not in them: fifty servers' tool schemas would make the settings
// file megabytes long, and it is parsed on every read.

export interface Snapshot {
  takenAt: number;
  tools: ToolView[];
}

export class SnapshotStore {
  constructor(private readonly dir: string) {}

  private file(serverId: string): string {
    // Ids come from the settings file, which the user (or anyone) may edit: never use them as paths.
    return join(this.dir, `${createHash('sha256').update(serverId).digest('hex').slice(0, 32)}.json`);
  }

  get(serverId: string): Snapshot | undefined {
    try {
      const value = JSON.parse(readFileSync(this.file(serverId), 'utf8')) as Snapshot;
      return value && typeof value.takenAt === 'number' && Array.isArray(value.tools) ? value : undefined;
    } catch {
      return undefined; // missing or unreadable: take a new snapshot
    }
  }

  set(serverId: string, snapshot: Snapshot): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const target = this.file(serverId);
    const temp = `${target}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(snapshot), { mode: 0o600 });
    renameSync(temp, target); // atomic: a crash leaves the old snapshot or the new one
  }

  delete(serverId: string): void {
    rmSync(this.file(serverId), { force: true });
  }
}
