import type { App } from 'electron';
import { BRIDGE_FLAG, runBridge } from '../core/gateway';

// `Switchboard --mcp-bridge --server-url http://127.0.0.1:<port>/s/<id>/mcp`: the
// app's own executable as the stdio bridge for clients that run only stdio
// servers, on machines with no Node.js (packaged builds have runAsNode off).
// Checked before anything else in main: no window, no single-instance lock (the
// running app holds it), no dock icon; the bridge logic is the core's.

export function bridgeRequested(argv: readonly string[]): boolean {
  return argv.includes(BRIDGE_FLAG);
}

type BridgeApp = Pick<App, 'exit' | 'disableHardwareAcceleration'> & { dock?: { hide(): void } };

export function runBridgeMode(app: BridgeApp, proc: Pick<NodeJS.Process, 'argv' | 'env' | 'stdin' | 'stdout' | 'stderr'>): Promise<number> {
  app.dock?.hide();
  // No window is ever drawn: no GPU process.
  app.disableHardwareAcceleration();
  const args = proc.argv.slice(proc.argv.indexOf(BRIDGE_FLAG) + 1);
  return runBridge({ argv: args, env: proc.env, stdin: proc.stdin, stdout: proc.stdout, stderr: proc.stderr }).then(
    (code) => {
      proc.stdout.write('', () => app.exit(code));
      return code;
    },
    (error: unknown) => {
      proc.stderr.write(`switchboard bridge: ${(error as Error)?.message ?? String(error)}\n`);
      app.exit(1);
      return 1;
    },
  );
}
