import { join } from 'node:path';
import type { TestCore } from './core';

// The URL-elicitation fixture server (test/fixtures/servers/url-elicitation.mjs) and a browser port that records.

export const URL_ELICITATION_SERVER = join(import.meta.dirname, '../fixtures/servers/url-elicitation.mjs');

/** A browser port that records what it was asked to open and, with `visit`, fetches it (a real GET), as the user would. */
export function recordingBrowser(visit = true) {
  const opened: string[] = [];
  return {
    opened,
    open: async (url: string) => {
      opened.push(url);
      if (visit) await fetch(url).then((r) => r.text());
    },
  };
}

/** Adds, approves and connects the fixture: 'legacy' speaks 2025-11-25, 'modern' 2026-07-28. */
export async function connectUrlServer(t: TestCore, era: 'legacy' | 'modern'): Promise<string> {
  const args = [URL_ELICITATION_SERVER, ...(era === 'legacy' ? ['--legacy'] : [])];
  const { server } = await t.call('addServer', { config: { transport: 'stdio', name: `URL ${era}`, command: process.execPath, args } });
  await t.call('approveLaunch', { serverId: server.id, specHash: server.trust!.specHash });
  await t.call('connectServer', { serverId: server.id });
  await t.waitForEvent('serverChanged', (p) => p.server.id === server.id && p.server.status.state === 'connected');
  return server.id;
}
