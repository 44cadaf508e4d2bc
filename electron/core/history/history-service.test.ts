import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName, PayloadOf } from '../../../shared/contract';
import { HistoryService } from './history-service';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function service(blockHistoryDir = false) {
  const dataDir = mkdtempSync(join(tmpdir(), 'history-service-'));
  dirs.push(dataDir);
  if (blockHistoryDir) writeFileSync(join(dataDir, 'history'), 'a file where the history directory should be');
  const events: [EventName, unknown][] = [];
  const emit = <E extends EventName>(name: E, payload: PayloadOf<E>) => void events.push([name, payload]);
  let busy = false;
  const history = new HistoryService({ emit, dataDir, busy: () => busy });
  return { history, events, setBusy: (b: boolean) => (busy = b) };
}

const call = { serverId: 's1', serverName: 'One', tool: 'echo', arguments: { a: 1 }, status: 'ok' as const, startedAt: 1, durationMs: 2 };

describe('HistoryService', () => {
  it('a record queued while calls are in flight is readable at once, and historyAppended follows once', async () => {
    const { history, events, setBusy } = service();
    setBusy(true);
    const ids = [history.record(call), history.record({ ...call, tool: 'add' })];
    expect((await history.get(ids[0]!)).tool).toBe('echo');
    expect((await history.query({ offset: 0, limit: 10 })).total).toBe(2);
    await new Promise((r) => setTimeout(r, 250));
    expect(events.filter(([name]) => name === 'historyAppended')).toEqual([['historyAppended', { count: 2, total: 2 }]]);
    await history.close();
  });

  it('a history directory that cannot be opened is reported, and recording into it neither hangs nor throws', async () => {
    const { history } = service(true);
    history.record(call);
    const page = await history.query({ offset: 0, limit: 10 });
    expect(page.total).toBe(0);
    expect(history.historyProblem()).toBeInstanceOf(Error);
    await history.close();
  });
});
