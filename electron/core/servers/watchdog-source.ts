import { PS_ARGS, WIN_IDENTITY_SCRIPT } from './process-identity';

// The parent-death watchdog: a plain-JavaScript program run as `node -e <this>
// <registry file> <core pid>` next to the core. It holds the read end of a pipe
// from the core. When the pipe closes without a "bye" line first (the core was
// SIGKILLed or crashed), it reads the core's process registry and terminates what
// is recorded there (SIGTERM, 2 s, SIGKILL), but only entries whose identity
// still matches (see process-identity.ts; same identity strings) and only when
// the registry still belongs to the core that started it. It ignores terminal
// signals (SIGINT, SIGHUP): the pipe alone says when the core is gone.
//
// The program is fixed text: the only values spliced in are the constants below,
// at module load; the registry path and the pid arrive as argv.

const GRACE_MS = 2000;

export const WATCHDOG_SOURCE = `'use strict';
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const [file, owner] = process.argv.slice(1);
const PS_ARGS = ${JSON.stringify(PS_ARGS)};
const WIN_SCRIPT = ${JSON.stringify(WIN_IDENTITY_SCRIPT)};
const GRACE_MS = ${GRACE_MS};
const win = process.platform === 'win32';
for (const s of ['SIGINT', 'SIGHUP', 'SIGTERM', 'SIGQUIT']) { try { process.on(s, () => {}); } catch {} }
let tail = '';
let bye = false;
let done = false;
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => { tail = (tail + d).slice(-16); if (tail.includes('bye')) bye = true; });
process.stdin.on('error', () => {});
const finish = () => { if (done) return; done = true; if (!bye) { try { reap(); } catch {} } process.exit(0); };
process.stdin.on('end', finish);
process.stdin.on('close', finish);
function sleep(ms) { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); }
let bootId;
function boot() {
  if (bootId === undefined) { try { bootId = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(); } catch { bootId = 'unknown'; } }
  return bootId;
}
function identity(pid) {
  try {
    if (process.platform === 'linux') {
      const text = fs.readFileSync('/proc/' + pid + '/stat', 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      if (f[0] === 'Z' || !/^\\d+$/.test(f[19] || '')) return undefined;
      return 'linux:' + boot() + ':' + f[19];
    }
    const opts = { timeout: 10000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true };
    if (win) {
      const out = execFileSync('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', WIN_SCRIPT], Object.assign(opts, { env: Object.assign({}, process.env, { SWITCHBOARD_PID: String(pid) }) })).trim();
      return out ? 'win:' + out : undefined;
    }
    const out = execFileSync('ps', PS_ARGS.concat(String(pid)), opts).trim();
    return out ? 'ps:' + out : undefined;
  } catch { return undefined; }
}
function alive(e) {
  if (!e.group) return identity(e.pid) === e.identity;
  try { process.kill(win ? e.pid : -e.pid, 0); return true; } catch (err) { return err.code === 'EPERM'; }
}
function signal(e, sig) {
  if (win) { try { execFileSync('taskkill', ['/pid', String(e.pid), '/T', '/F'], { windowsHide: true, stdio: 'ignore', timeout: 10000 }); } catch {} return; }
  try { process.kill(e.group ? -e.pid : e.pid, sig); } catch {}
}
function reap() {
  if (fs.statSync(file).size > 1048576) return;
  const reg = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!reg || reg.version !== 1 || !reg.owner || String(reg.owner.pid) !== owner || !Array.isArray(reg.entries)) return;
  const targets = reg.entries.slice(0, 4096).filter((e) => e && Number.isSafeInteger(e.pid) && e.pid > 1 && typeof e.identity === 'string' && identity(e.pid) === e.identity);
  for (const e of targets) signal(e, 'SIGTERM');
  const deadline = Date.now() + GRACE_MS;
  while (Date.now() < deadline && targets.some(alive)) sleep(50);
  for (const e of targets) if (alive(e)) signal(e, 'SIGKILL');
}
`;
