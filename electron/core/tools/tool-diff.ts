import type { ToolChange, ToolView } from '../../../shared/contract';

// What changed in a server's tools since the snapshot the user acknowledged.

// 'ui': an MCP App's resource or visibility (a tool that becomes visible to models, say) is a change too.
const FIELDS = ['title', 'description', 'inputSchema', 'outputSchema', 'annotations', 'ui'] as const;

/** JSON with sorted keys, so key order alone is not a change. */
export function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) => {
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        return Object.fromEntries(
          Object.keys(v as Record<string, unknown>)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        );
      }
      return v;
    }) ?? 'undefined'
  );
}

export function diffTools(before: ToolView[], after: ToolView[]): ToolChange[] {
  const old = new Map(before.map((t) => [t.name, t]));
  const now = new Map(after.map((t) => [t.name, t]));
  const changes: ToolChange[] = [];
  for (const [name, tool] of now) {
    const prev = old.get(name);
    if (!prev) {
      changes.push({ name, kind: 'added', fields: [], after: tool });
      continue;
    }
    const fields = FIELDS.filter((f) => canonical(prev[f]) !== canonical(tool[f]));
    if (fields.length) changes.push({ name, kind: 'changed', fields: [...fields], before: prev, after: tool });
  }
  for (const [name, tool] of old) if (!now.has(name)) changes.push({ name, kind: 'removed', fields: [], before: tool });
  return changes.sort((a, b) => a.name.localeCompare(b.name));
}
