import type { Client, Tool } from '@modelcontextprotocol/client';
import type { ToolView } from '../../../shared/contract';

// The tools each connected server offers: the one list the servers view, tool
// calls and drift checks all read. Filled on connect, replaced after
// list_changed, emptied when the server stops. Reading it touches no settings,
// so a tool call never pays for a settings-file read.

export class ToolCatalogue {
  private readonly byServer = new Map<string, ToolView[]>();

  get(serverId: string): ToolView[] {
    return this.byServer.get(serverId) ?? [];
  }

  set(serverId: string, tools: Tool[]): ToolView[] {
    const views = tools.map(toToolView);
    this.byServer.set(serverId, views);
    return views;
  }

  clear(serverId: string): void {
    this.byServer.delete(serverId);
  }
}

/** Every page of tools/list (at most 100 pages); none when the server declares no tools. */
export async function listAllTools(client: Client): Promise<Tool[]> {
  if (!client.getServerCapabilities()?.tools) return [];
  const tools: Tool[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const result = await client.listTools(cursor ? { cursor } : {});
    tools.push(...result.tools);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return tools;
}

export function toToolView(tool: Tool): ToolView {
  return {
    name: tool.name,
    title: tool.title ?? tool.annotations?.title,
    description: tool.description,
    annotations: tool.annotations as ToolView['annotations'],
    inputSchema: tool.inputSchema as Record<string, unknown>,
    outputSchema: tool.outputSchema as Record<string, unknown> | undefined,
    ...taskSupport(tool),
    ...appUi(tool),
  };
}

const VISIBILITY = new Set(['model', 'app']);

/**
 * MCP Apps `_meta.ui` (and the older `_meta["ui/resourceUri"]`), as far as it is well-formed: a ui:// resource URI
 * of bounded length, and a visibility list of known values (default: both). Anything else is ignored.
 */
function appUi(tool: Tool): Pick<ToolView, 'ui'> {
  const meta = (tool as { _meta?: unknown })._meta;
  if (!meta || typeof meta !== 'object') return {};
  const ui = (meta as Record<string, unknown>).ui;
  const uiObject = ui && typeof ui === 'object' && !Array.isArray(ui) ? (ui as Record<string, unknown>) : undefined;
  const legacy = (meta as Record<string, unknown>)['ui/resourceUri'];
  const rawUri = uiObject?.resourceUri ?? legacy;
  const resourceUri = typeof rawUri === 'string' && rawUri.startsWith('ui://') && rawUri.length <= 2048 ? rawUri : undefined;
  const rawVisibility = uiObject?.visibility;
  const visibility = Array.isArray(rawVisibility)
    ? [...new Set(rawVisibility.filter((v): v is 'model' | 'app' => typeof v === 'string' && VISIBILITY.has(v)))]
    : undefined;
  if (!resourceUri && !visibility) return {};
  return { ui: { ...(resourceUri ? { resourceUri } : {}), visibility: visibility ?? ['model', 'app'] } };
}

const TASK_SUPPORT = new Set(['forbidden', 'optional', 'required']);

/** execution.taskSupport as the server declared it; anything else counts as absent (no task). */
function taskSupport(tool: Tool): Pick<ToolView, 'taskSupport'> {
  const value = (tool as { execution?: { taskSupport?: unknown } }).execution?.taskSupport;
  return typeof value === 'string' && TASK_SUPPORT.has(value) ? { taskSupport: value as ToolView['taskSupport'] } : {};
}
