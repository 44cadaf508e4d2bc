import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SnapshotStore } from './snapshot-store';

describe('SnapshotStore', () => {
  it('keeps one file per server inside its directory, whatever the id', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'switchboard-snap-')), 'snaps');
    const store = new SnapshotStore(dir);
    const tools = [{ name: 'echo', inputSchema: { type: 'object' } }];
    store.set('../../etc/passwd', { takenAt: 1, tools });
    store.set('ordinary-id', { takenAt: 2, tools: [] });
    expect(readdirSync(dir)).toHaveLength(2);
    expect(store.get('../../etc/passwd')).toEqual({ takenAt: 1, tools });
    store.delete('../../etc/passwd');
    expect(store.get('../../etc/passwd')).toBeUndefined();
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it('treats a corrupt file as no snapshot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-snap-'));
    const store = new SnapshotStore(dir);
    store.set('a', { takenAt: 1, tools: [] });
    const [file] = readdirSync(dir);
    writeFileSync(join(dir, file!), '{ truncated');
    expect(store.get('a')).toBeUndefined();
  });
});
