import type { HistoryRecord, HistorySummary } from './record';

// The in-memory side of a history record: a short summary for the list and a
// lowercase search string. Both are bounded so 100k records stay affordable
// whatever size the payloads are; the full record stays on disk.

export const PREVIEW_CHARS = 240;
export const SEARCH_CHARS = 2048;
const ARGUMENTS_SEARCH_CHARS = 1024;
const PREVIEW_STRING_CHARS = 120;
const PREVIEW_ARRAY_ITEMS = 10;

/**
 * Compact JSON cut to `max` characters; long strings and arrays are shortened
 * while serializing. (A hand-rolled bounded serializer measured slower than
 * this for realistic payloads; the replacer keeps huge strings and arrays cheap.)
 */
export function preview(value: unknown, max = PREVIEW_CHARS): string {
  if (value === undefined) return '';
  let text: string;
  try {
    text =
      JSON.stringify(value, (_key, v: unknown) => {
        if (typeof v === 'string' && v.length > PREVIEW_STRING_CHARS) return `${v.slice(0, PREVIEW_STRING_CHARS)}...`;
        if (Array.isArray(v) && v.length > PREVIEW_ARRAY_ITEMS) return [...v.slice(0, PREVIEW_ARRAY_ITEMS), `... ${v.length - PREVIEW_ARRAY_ITEMS} more`];
        return v;
      }) ?? '';
  } catch {
    text = String(value);
  }
  return text.length > max ? detach(`${text.slice(0, max - 3)}...`) : text;
}

/**
 * A standalone copy of a short string. V8 represents slices and concatenations
 * as views that keep the whole source string alive; previews are kept for the
 * life of the index, so they must not pin the serialized payload they came from.
 * ASCII "..." rather than "…" keeps previews in one-byte strings.
 */
function detach(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

// Result fields that are binary payloads or metadata: searching them only yields noise.
const SKIP_RESULT_KEYS = new Set(['data', 'blob', '_meta', 'mimeType', 'type', 'annotations']);

/**
 * The text of a value for substring search: string/number/boolean leaves
 * (and, with `withKeys`, property names), stopping once `budget` is spent.
 */
export function collectText(value: unknown, budget: number, withKeys: boolean): string {
  const parts: string[] = [];
  let left = budget;
  const add = (s: string): void => {
    const piece = s.length > left ? s.slice(0, left) : s;
    parts.push(piece);
    left -= piece.length + 1;
  };
  const visit = (v: unknown, depth: number): void => {
    if (left <= 0 || depth > 32) return;
    if (typeof v === 'string') add(v);
    else if (typeof v === 'number' || typeof v === 'boolean') add(String(v));
    else if (Array.isArray(v)) {
      for (const item of v) {
        if (left <= 0) return;
        visit(item, depth + 1);
      }
    } else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        if (left <= 0) return;
        if (withKeys) add(key);
        else if (SKIP_RESULT_KEYS.has(key)) continue;
        visit(item, depth + 1);
      }
    }
  };
  visit(value, 0);
  return parts.join(' ');
}

export function searchText(record: HistoryRecord): string {
  const head = `${record.tool}\n${record.serverName}\n`;
  const args = collectText(record.arguments, ARGUMENTS_SEARCH_CHARS, true);
  let rest = SEARCH_CHARS - head.length - args.length - 1;
  let outcome = '';
  if (rest > 0 && record.error) {
    outcome = record.error.message.slice(0, rest);
    rest -= outcome.length + 1;
  }
  if (rest > 0 && record.result !== undefined) outcome += `\n${collectText(record.result, rest, false)}`;
  return `${head}${args}\n${outcome}`.toLowerCase();
}

export function summarize(record: HistoryRecord): HistorySummary {
  const summary: HistorySummary = {
    id: record.id,
    serverId: record.serverId,
    serverName: record.serverName,
    tool: record.tool,
    status: record.status,
    startedAt: record.startedAt,
    durationMs: record.durationMs,
    argumentsPreview: preview(record.arguments),
  };
  if (record.task) summary.task = record.task;
  if (record.result !== undefined) summary.resultPreview = preview(record.result);
  if (record.error)
    summary.errorMessage =
      record.error.message.length > PREVIEW_CHARS ? detach(`${record.error.message.slice(0, PREVIEW_CHARS - 3)}...`) : record.error.message;
  return summary;
}
