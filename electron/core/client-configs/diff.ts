import type { DiffLine } from './types';

// A line diff for the preview before writing a client's file. Common head and
// tail are matched first (an edit touches a few lines of a long file); the rest
// gets a longest-common-subsequence table only while it stays small, otherwise
// the changed block is shown as removed then added.

const MAX_CELLS = 4_000_000;

export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before === '' ? [] : before.split('\n');
  const b = after === '' ? [] : after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const out: DiffLine[] = [];
  for (let i = 0; i < head; i++) out.push({ op: ' ', text: a[i]!, line: i + 1 });
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  if (midA.length * midB.length > MAX_CELLS) {
    midA.forEach((text, i) => out.push({ op: '-', text, line: head + i + 1 }));
    midB.forEach((text, i) => out.push({ op: '+', text, line: head + i + 1 }));
  } else out.push(...lcsDiff(midA, midB, head));
  for (let i = a.length - tail; i < a.length; i++) out.push({ op: ' ', text: a[i]!, line: i + 1 });
  return out;
}

function lcsDiff(a: string[], b: string[], offset: number): DiffLine[] {
  const n = a.length;
  const m = b.length;
  const table = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) table[at(i, j)] = a[i] === b[j] ? table[at(i + 1, j + 1)]! + 1 : Math.max(table[at(i + 1, j)]!, table[at(i, j + 1)]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ op: ' ', text: a[i]!, line: offset + i + 1 });
      i++;
      j++;
    } else if (j < m && (i >= n || table[at(i, j + 1)]! >= table[at(i + 1, j)]!)) {
      out.push({ op: '+', text: b[j]!, line: offset + j + 1 });
      j++;
    } else {
      out.push({ op: '-', text: a[i]!, line: offset + i + 1 });
      i++;
    }
  }
  return out;
}

/** Only the changed lines with `context` lines around them, for display. */
export function changedHunks(diff: DiffLine[], context = 3): DiffLine[] {
  const keep = new Set<number>();
  diff.forEach((d, i) => {
    if (d.op !== ' ') for (let k = Math.max(0, i - context); k <= Math.min(diff.length - 1, i + context); k++) keep.add(k);
  });
  return diff.filter((_d, i) => keep.has(i));
}
