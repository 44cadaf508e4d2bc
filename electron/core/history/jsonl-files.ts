import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

// Naming and reading of the numbered JSONL segment files. Numbers only grow, so
// the numeric order is the chronological order.

const FILE_PATTERN = /^history-(\d{6,})\.jsonl$/;

export const segmentName = (n: number): string => `history-${String(n).padStart(6, '0')}.jsonl`;
export const segmentPath = (dir: string, n: number): string => join(dir, segmentName(n));

/** Segment numbers present in `dir`, oldest first. */
export async function listSegments(dir: string): Promise<number[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  return names
    .map((name) => FILE_PATTERN.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

export interface SegmentLine {
  /** Byte offset of the line in the file. */
  offset: number;
  /** Byte length without the newline. */
  length: number;
  text: string;
}

export interface SegmentContent {
  lines: SegmentLine[];
  bytes: number;
  /** False when the file ends mid-line (a crash during a write). */
  endsWithNewline: boolean;
}

/** All non-empty lines of a segment with their byte positions. A missing file reads as empty. */
export async function readSegment(path: string): Promise<SegmentContent> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], bytes: 0, endsWithNewline: true };
    throw error;
  }
  const lines: SegmentLine[] = [];
  let start = 0;
  while (start < buf.length) {
    let end = buf.indexOf(10, start);
    if (end < 0) end = buf.length;
    if (end > start) lines.push({ offset: start, length: end - start, text: buf.toString('utf8', start, end) });
    start = end + 1;
  }
  return { lines, bytes: buf.length, endsWithNewline: buf.length === 0 || buf[buf.length - 1] === 10 };
}
