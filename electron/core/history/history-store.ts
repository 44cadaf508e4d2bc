import { open, rm, type FileHandle } from 'node:fs/promises';
import { securePrivateDir } from '../settings';
import type { KnownSecrets } from '../traffic';
import { listSegments, readSegment, segmentPath } from './jsonl-files';
import {
  isHistoryRecord,
  type HistoryFacets,
  type HistoryPage,
  type HistoryQuery,
  type HistoryRecord,
  type HistoryRecordInput,
  type HistorySummary,
} from './record';
import { RecordIndex } from './record-index';
import { redactRecord } from './redact-record';

// The persistent record of every tool call: append-only JSONL segments in one
// directory, rotated by size, with an in-memory index (summary + lowercase
// search text + file position) for the history view. Full records are read
// back from disk on demand, so memory does not grow with payload size.
//
// Appends are synchronous and cheap: the record is redacted, serialized and
// queued; writes are batched on a short timer. Everything on disk went through
// redactSecrets first (redact-record.ts). This module owns the files (segments,
// rotation, batched writes); record-index.ts owns what is kept in memory.

export interface HistoryStoreOptions {
  dir: string;
  /** Start a new segment when the active one would grow past this. */
  maxFileBytes?: number;
  /** Segments kept, the active one included; the oldest beyond it are deleted. */
  maxFiles?: number;
  /** How long appends are batched before a write. */
  flushDelayMs?: number;
  /** Background write failures (the store keeps working in memory). */
  onError?: (error: Error) => void;
  /** Values injected into each server, scrubbed from its records (a tool that echoes its server's key). */
  secrets?: KnownSecrets;
}

export const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;
export const DEFAULT_MAX_FILES = 8;
const DEFAULT_FLUSH_DELAY_MS = 50;
/** Queued bytes that trigger a write without waiting for the timer. */
const EAGER_FLUSH_BYTES = 1024 * 1024;
/** Lines parsed between yields to the event loop on open(). */
const LOAD_SLICE = 2000;

interface Segment {
  file: number;
  chunks: string[];
  ids: string[];
}

export type HistoryListener = (summary: HistorySummary) => void;

export class HistoryStore {
  private readonly dir: string;
  private readonly maxFileBytes: number;
  private readonly maxFiles: number;
  private readonly flushDelayMs: number;
  private readonly onError?: (error: Error) => void;
  private readonly secrets?: KnownSecrets;

  private readonly records = new RecordIndex();
  private readonly listeners = new Set<HistoryListener>();

  /** Live segment numbers, oldest first; the last is the active one. */
  private files: number[] = [];
  private activeBytes = 0;
  private queue: Segment[] = [];
  private queuedBytes = 0;
  /** Lines queued but not yet on disk, for `get` in the meantime. */
  private readonly unflushed = new Map<string, string>();
  private pendingDeletes: number[] = [];
  private writeChain: Promise<void> = Promise.resolve();
  private handle?: { file: number; fh: FileHandle };
  private timer?: NodeJS.Timeout;
  private state: 'new' | 'open' | 'closed' = 'new';
  private skipped = 0;

  constructor(options: HistoryStoreOptions) {
    this.dir = options.dir;
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.maxFiles = Math.max(1, options.maxFiles ?? DEFAULT_MAX_FILES);
    this.flushDelayMs = options.flushDelayMs ?? DEFAULT_FLUSH_DELAY_MS;
    this.onError = options.onError;
    this.secrets = options.secrets;
  }

  /** Loads existing segments. Unparseable lines (a torn tail after a crash) are skipped, the rest kept. */
  async open(): Promise<void> {
    if (this.state !== 'new') throw new Error('HistoryStore.open() called twice');
    // History holds tool arguments and results: owner-only, like the settings file (older 0644 segments are tightened).
    securePrivateDir(this.dir);
    let files = await listSegments(this.dir);
    // maxFiles may have been lowered since the last run.
    const excess = files.slice(0, Math.max(0, files.length - this.maxFiles));
    files = files.slice(excess.length);
    await Promise.all(excess.map((n) => rm(segmentPath(this.dir, n), { force: true })));

    let lastBytes = 0;
    let tailTorn = false;
    for (const file of files) {
      const content = await readSegment(segmentPath(this.dir, file));
      for (let i = 0; i < content.lines.length; i++) {
        // Let the (Electron main) event loop breathe while a large history loads.
        if (i > 0 && i % LOAD_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
        const line = content.lines[i]!;
        let value: unknown;
        try {
          value = JSON.parse(line.text);
        } catch {
          this.skipped++;
          continue;
        }
        if (!isHistoryRecord(value) || this.records.has(value.id)) {
          this.skipped++;
          continue;
        }
        this.records.add(value, file, line.offset, line.length);
      }
      lastBytes = content.bytes;
      tailTorn = !content.endsWithNewline;
    }

    this.files = files;
    if (files.length === 0 || lastBytes >= this.maxFileBytes) {
      this.startSegment();
    } else {
      this.activeBytes = lastBytes;
      // Terminate a torn last line so the next record starts on its own line.
      if (tailTorn) {
        this.activeBytes++;
        this.enqueue(this.activeFile, '\n', undefined, 1);
      }
    }
    this.state = 'open';
    if (this.pendingDeletes.length > 0) await this.flush();
  }

  /** Redacts, indexes and queues a record for writing. Returns what was stored. */
  append(input: HistoryRecordInput): HistoryRecord {
    if (this.state !== 'open') throw new Error(this.state === 'new' ? 'HistoryStore is not open' : 'HistoryStore is closed');
    const record = redactRecord(input, this.secrets);
    if (!isHistoryRecord(record)) throw new TypeError('invalid history record');
    if (this.records.has(record.id)) throw new Error(`duplicate history record id ${record.id}`);

    const line = JSON.stringify(record);
    const bytes = Buffer.byteLength(line) + 1;
    if (this.activeBytes > 0 && this.activeBytes + bytes > this.maxFileBytes) this.rotate();
    const entry = this.records.add(record, this.activeFile, this.activeBytes, bytes - 1);
    this.activeBytes += bytes;
    this.unflushed.set(record.id, line);
    this.enqueue(this.activeFile, `${line}\n`, record.id, bytes);

    for (const listener of this.listeners) {
      try {
        listener(entry.summary);
      } catch {
        // a listener's failure is not the store's
      }
    }
    return record;
  }

  query(q: HistoryQuery = {}): HistoryPage {
    return this.records.query(q);
  }

  /** The full (redacted) record, read from disk unless it is still queued. */
  async get(id: string): Promise<HistoryRecord | undefined> {
    const entry = this.records.entry(id);
    if (!entry) return undefined;
    const queued = this.unflushed.get(id);
    if (queued !== undefined) return JSON.parse(queued) as HistoryRecord;
    let fh: FileHandle | undefined;
    try {
      fh = await open(segmentPath(this.dir, entry.file), 'r');
      const buf = Buffer.alloc(entry.length);
      const { bytesRead } = await fh.read(buf, 0, entry.length, entry.offset);
      const value: unknown = JSON.parse(buf.toString('utf8', 0, bytesRead));
      // A failed write can leave offsets pointing at the wrong bytes: never return another record.
      return isHistoryRecord(value) && value.id === id ? value : undefined;
    } catch {
      return undefined;
    } finally {
      await fh?.close();
    }
  }

  facets(): HistoryFacets {
    return this.records.facets();
  }

  get size(): number {
    return this.records.size;
  }

  stats(): { records: number; files: number; activeFileBytes: number; skippedLines: number } {
    return { records: this.records.size, files: this.files.length, activeFileBytes: this.activeBytes, skippedLines: this.skipped };
  }

  /** Every stored record, oldest first, streamed from disk. */
  async *exportAll(): AsyncGenerator<HistoryRecord> {
    await this.flush();
    for (const file of [...this.files]) {
      const content = await readSegment(segmentPath(this.dir, file));
      for (const line of content.lines) {
        let value: unknown;
        try {
          value = JSON.parse(line.text);
        } catch {
          continue;
        }
        if (isHistoryRecord(value) && this.records.has(value.id)) yield value;
      }
    }
  }

  /** A JSON array of every stored record, oldest first. */
  async exportJson(): Promise<string> {
    const parts: string[] = [];
    for await (const record of this.exportAll()) parts.push(JSON.stringify(record));
    return parts.length === 0 ? '[]' : `[\n${parts.join(',\n')}\n]`;
  }

  onAppend(listener: HistoryListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Writes everything queued so far. Rejects when the write fails. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const segments = this.queue;
    const deletes = this.pendingDeletes;
    this.queue = [];
    this.queuedBytes = 0;
    this.pendingDeletes = [];
    if (segments.length === 0 && deletes.length === 0) return this.writeChain;
    const run = this.writeChain.then(() => this.write(segments, deletes));
    this.writeChain = run.catch(() => {});
    return run;
  }

  /** Deletes every record, in memory and on disk. */
  async clear(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const doomed = [...this.files, ...this.pendingDeletes];
    this.queue = [];
    this.queuedBytes = 0;
    this.pendingDeletes = [];
    this.unflushed.clear();
    this.records.clear();
    // Continue the numbering so nothing in flight can land in a fresh file.
    const next = (this.files.at(-1) ?? 0) + 1;
    this.files = [next];
    this.activeBytes = 0;
    const run = this.writeChain.then(async () => {
      await this.closeHandle();
      await Promise.all(doomed.map((n) => rm(segmentPath(this.dir, n), { force: true })));
    });
    this.writeChain = run.catch(() => {});
    await run;
  }

  /** Flushes and releases the file handle; further appends throw. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    if (wasOpen) await this.flush();
    await this.writeChain;
    await this.closeHandle();
    this.listeners.clear();
  }

  private get activeFile(): number {
    return this.files[this.files.length - 1]!;
  }

  private startSegment(): void {
    this.files.push((this.files.at(-1) ?? 0) + 1);
    this.activeBytes = 0;
    while (this.files.length > this.maxFiles) this.dropOldest();
  }

  private rotate(): void {
    this.startSegment();
  }

  private dropOldest(): void {
    const file = this.files.shift()!;
    for (const id of this.records.dropThrough(file)) this.unflushed.delete(id);
    // Lines queued for that file need never be written.
    this.queue = this.queue.filter((s) => s.file !== file);
    this.pendingDeletes.push(file);
  }

  private enqueue(file: number, text: string, id: string | undefined, bytes: number): void {
    let segment = this.queue[this.queue.length - 1];
    if (!segment || segment.file !== file) {
      segment = { file, chunks: [], ids: [] };
      this.queue.push(segment);
    }
    segment.chunks.push(text);
    if (id !== undefined) segment.ids.push(id);
    this.queuedBytes += bytes;
    if (this.queuedBytes >= EAGER_FLUSH_BYTES) void this.flush().catch(() => {});
    else if (!this.timer) this.timer = setTimeout(() => void this.flush().catch(() => {}), this.flushDelayMs);
  }

  private async write(segments: Segment[], deletes: number[]): Promise<void> {
    try {
      for (const segment of segments) {
        if (!this.files.includes(segment.file)) continue; // rotated away meanwhile
        if (this.handle?.file !== segment.file) {
          await this.closeHandle();
          this.handle = { file: segment.file, fh: await open(segmentPath(this.dir, segment.file), 'a', 0o600) };
        }
        await this.handle.fh.appendFile(segment.chunks.join(''));
        for (const id of segment.ids) this.unflushed.delete(id);
      }
      if (deletes.length > 0) {
        if (this.handle && deletes.includes(this.handle.file)) await this.closeHandle();
        await Promise.all(deletes.map((n) => rm(segmentPath(this.dir, n), { force: true })));
      }
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      // Offsets in the active file can no longer be trusted: continue in a new segment.
      if (this.state === 'open') this.rotate();
      this.onError?.(err);
      throw err;
    }
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.fh.close();
  }
}
