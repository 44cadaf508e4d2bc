import { runBridge } from './bridge';

// The bridge as a plain Node program (tests, and anyone with Node):
//   node bridge-cli.js --server-url http://127.0.0.1:<port>/s/<id>/mcp
// with SWITCHBOARD_GATEWAY_TOKEN in the environment. The app runs the same
// logic headless: `Switchboard --mcp-bridge --server-url …` (electron/main/bridge-mode.ts).

const code = await runBridge({ argv: process.argv.slice(2), env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
// Pending SSE reads must not keep the process alive once the client hung up.
process.stdout.write('', () => process.exit(code));
