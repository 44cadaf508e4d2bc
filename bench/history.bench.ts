import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { HistoryStore } from '../electron/core/history/history-store';
import type { HistoryRecordInput } from '../electron/core/history/record';

// History store throughput: ingest 100k realistic tool calls, filter them by
// text, reload them from disk. Run: npx tsx bench/history.bench.ts

const RECORDS = 100_000;
const WORDS =
  'alpha beta gamma delta release invoice customer report weather forecast latency cluster deploy rollback kernel socket buffer schema migration token budget summary quarterly revenue pipeline'.split(
    ' ',
  );

function rng(seed: number): () => number {
  // mulberry32: deterministic so runs are comparable
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeRecords(count: number): HistoryRecordInput[] {
  const rand = rng(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const sentence = (n: number): string => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const servers = [
    { serverId: 'github', serverName: 'GitHub', tools: ['search_issues', 'get_file_contents', 'create_pull_request'] },
    { serverId: 'fs', serverName: 'Filesystem', tools: ['read_file', 'list_directory', 'write_file'] },
    { serverId: 'everything', serverName: 'Everything', tools: ['echo', 'get-sum', 'get-tiny-image'] },
    { serverId: 'linear', serverName: 'Linear (remote)', tools: ['list_issues', 'create_issue'] },
    { serverId: 'pg', serverName: 'Postgres', tools: ['query'] },
  ];
  const out: HistoryRecordInput[] = [];
  let t = Date.UTC(2026, 0, 1);
  for (let i = 0; i < count; i++) {
    const server = pick(servers);
    const tool = pick(server.tools);
    const roll = rand();
    const status = roll < 0.9 ? 'ok' : roll < 0.96 ? 'tool-error' : roll < 0.98 ? 'error' : roll < 0.99 ? 'timeout' : 'cancelled';
    const args: Record<string, unknown> = {
      query: sentence(3 + Math.floor(rand() * 6)),
      limit: 20,
      path: `/home/user/project/src/${pick(WORDS)}/${pick(WORDS)}.ts`,
    };
    if (rand() < 0.1) args.headers = { Authorization: `Bearer tok_${i}_abcdefghijklmnop` };
    const record: HistoryRecordInput = {
      serverId: server.serverId,
      serverName: server.serverName,
      tool,
      arguments: args,
      status,
      startedAt: (t += 500 + Math.floor(rand() * 2000)),
      durationMs: Math.floor(rand() * 900),
    };
    if (status === 'ok' || status === 'tool-error') {
      const items = 1 + Math.floor(rand() * 3);
      record.result = {
        content: Array.from({ length: items }, () => ({ type: 'text', text: sentence(10 + Math.floor(rand() * 60)) })),
        ...(status === 'tool-error' ? { isError: true } : {}),
      };
    } else {
      record.error = { code: status === 'error' ? -32603 : -32001, message: `${status}: ${sentence(6)}` };
    }
    out.push(record);
  }
  return out;
}

// A real gc() even without --expose-gc, so the heap figure is not mostly garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeQuery(store: HistoryStore, q: Parameters<HistoryStore['query']>[0], runs = 7): { ms: number; total: number } {
  let total = 0;
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    total = store.query(q).total;
    times.push(performance.now() - t0);
  }
  return { ms: median(times), total };
}

export async function runHistoryBench(): Promise<Record<string, number>> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-history-bench-'));
  // Large enough that no record rotates away: the bench measures a full 100k index.
  const options = { dir, maxFileBytes: 16 * 1024 * 1024, maxFiles: 16 };
  try {
    const records = makeRecords(RECORDS);
    gc();
    const heapBefore = process.memoryUsage().heapUsed;

    const store = new HistoryStore(options);
    await store.open();
    const t0 = performance.now();
    for (const record of records) store.append(record);
    const appendMs = performance.now() - t0;
    const t1 = performance.now();
    await store.flush();
    const flushMs = performance.now() - t1;
    gc();
    const heapAfter = process.memoryUsage().heapUsed;

    const rare = timeQuery(store, { text: 'rollback kernel socket' });
    const common = timeQuery(store, { text: 'weather' });
    const miss = timeQuery(store, { text: 'no-such-thing-anywhere' });
    const combined = timeQuery(store, { text: 'invoice', serverId: 'github', status: 'ok' });

    const ids = store.query({ limit: 200, offset: 50_000 }).records.map((r) => r.id);
    const g0 = performance.now();
    for (const id of ids) await store.get(id);
    const getMs = (performance.now() - g0) / ids.length;
    await store.close();

    let diskBytes = 0;
    for (const name of await readdir(dir)) diskBytes += (await stat(join(dir, name))).size;

    const reloaded = new HistoryStore(options);
    const r0 = performance.now();
    await reloaded.open();
    const reloadMs = performance.now() - r0;
    const reloadedCount = reloaded.size;
    await reloaded.close();

    return {
      records: RECORDS,
      appendUsPerRecord: (appendMs * 1000) / RECORDS,
      flushMs,
      textFilterRareMs: rare.ms,
      textFilterRareMatches: rare.total,
      textFilterCommonMs: common.ms,
      textFilterCommonMatches: common.total,
      textFilterNoMatchMs: miss.ms,
      textFilterCombinedMs: combined.ms,
      getFromDiskMs: getMs,
      reloadMs,
      reloadedRecords: reloadedCount,
      diskMiB: diskBytes / 1024 / 1024,
      indexHeapMiB: (heapAfter - heapBefore) / 1024 / 1024,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await runHistoryBench();
  const rows = Object.entries(results).map(([metric, value]) => `${metric.padEnd(26)} ${Number.isInteger(value) ? String(value) : value.toFixed(2)}`);
  console.log(['history bench (100k records; target: text filter < 100 ms)', '-'.repeat(40), ...rows].join('\n'));
}
