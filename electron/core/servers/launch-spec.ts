import { createHash } from 'node:crypto';
import type { LaunchSpec } from '../../../shared/contract';
import type { StoredStdioServer } from './server-repo';

// Approval is bound to the content of the launch spec, not the server's name
// (the MCPoison lesson): any change to the command, args, cwd or env asks again,
// whether it came from the dialog, an import or another process editing the file.

export function launchSpecOf(server: StoredStdioServer, resolvedCommand: string | null): LaunchSpec {
  return {
    command: server.command,
    resolvedCommand,
    args: [...server.args],
    cwd: server.cwd ?? null,
    envNames: server.env.map((e) => e.name),
  };
}

/** Secret env values are bound by name only: their plaintext never leaves the vault. */
export function launchSpecHash(server: StoredStdioServer): string {
  const canonical = JSON.stringify({
    v: 1,
    command: server.command,
    args: server.args,
    cwd: server.cwd ?? null,
    env: [...server.env].sort((a, b) => a.name.localeCompare(b.name)).map((e) => (e.secret ? [e.name, 'secret'] : [e.name, e.value ?? ''])),
  });
  return createHash('sha256').update(canonical).digest('hex');
}
