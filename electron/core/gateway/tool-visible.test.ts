import { describe, expect, it } from 'vitest';
import type { ToolView } from '../../../shared/contract';
import { toolVisible } from './gateway-proxy';

// MCP Apps: a tool only its server's app may call is hidden from models, and so from gateway clients.
describe('gateway tool visibility and MCP Apps', () => {
  const access = { serverId: 's', allow: [], deny: [], hideDestructive: false };
  const tool = (ui?: ToolView['ui']): ToolView => ({ name: 't', inputSchema: { type: 'object' }, ...(ui ? { ui } : {}) });

  it('hides app-only tools and keeps the rest', () => {
    expect(toolVisible(access, tool({ visibility: ['app'] }), new Set())).toBe(false);
    expect(toolVisible(access, tool({ resourceUri: 'ui://a/b', visibility: ['model', 'app'] }), new Set())).toBe(true);
    expect(toolVisible(access, tool({ visibility: ['model'] }), new Set())).toBe(true);
    expect(toolVisible(access, tool(), new Set())).toBe(true);
  });
});
