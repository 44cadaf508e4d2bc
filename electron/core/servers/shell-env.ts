import { spawn } from 'node:child_process';
import { userInfo } from 'node:os';

// GUI apps on macOS and Linux start without the login shell's environment, so
// `npx`, `uvx`, nvm and Homebrew commands are missing from PATH and spawning
// them fails with ENOENT. Ask the user's login shell once, with a timeout, and
// fall back to our own environment plus the usual bin directories.

const MARK = '__SWITCHBOARD_ENV__';

export interface ShellEnvResult {
  env: NodeJS.ProcessEnv;
  source: 'login-shell' | 'fallback' | 'process';
  error?: string;
}

export async function resolveShellEnv(base: NodeJS.ProcessEnv = process.env, timeoutMs = 5000): Promise<ShellEnvResult> {
  if (process.platform === 'win32') return { env: { ...base }, source: 'process' };
  const shell = base.SHELL || safeUserShell() || '/bin/sh';
  try {
    const env = await readShellEnv(shell, base, timeoutMs);
    return { env: { ...base, ...env }, source: 'login-shell' };
  } catch (error) {
    return { env: withFallbackPath(base), source: 'fallback', error: (error as Error).message };
  }
}

function safeUserShell(): string | undefined {
  try {
    return userInfo().shell ?? undefined;
  } catch {
    return undefined;
  }
}

function readShellEnv(shell: string, base: NodeJS.ProcessEnv, timeoutMs: number): Promise<NodeJS.ProcessEnv> {
  return new Promise((resolve, reject) => {
    // A constant script, never user input: print the env NUL-separated between marks so
    // anything an rc file prints to stdout is ignored.
    const script = `printf '%s' '${MARK}'; env -0; printf '%s' '${MARK}'`;
    const child = spawn(shell, ['-i', '-l', '-c', script], {
      env: { ...base, SWITCHBOARD_RESOLVING_SHELL_ENV: '1' },
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: true,
    });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      reject(new Error(`login shell ${shell} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', () => {
      clearTimeout(timer);
      const out = Buffer.concat(chunks).toString('utf8');
      const start = out.indexOf(MARK);
      const end = out.lastIndexOf(MARK);
      if (start < 0 || end <= start) return reject(new Error(`login shell ${shell} printed no environment`));
      const env: NodeJS.ProcessEnv = {};
      for (const entry of out.slice(start + MARK.length, end).split('\0')) {
        const eq = entry.indexOf('=');
        if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
      }
      delete env.SWITCHBOARD_RESOLVING_SHELL_ENV;
      if (!env.PATH) return reject(new Error(`login shell ${shell} reported no PATH`));
      resolve(env);
    });
  });
}

const COMMON_BIN_DIRS = ['/opt/homebrew/bin', '/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin'];

export function withFallbackPath(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const home = base.HOME ?? '';
  const extra = [...COMMON_BIN_DIRS, home && `${home}/.local/bin`, home && `${home}/.cargo/bin`, home && `${home}/.volta/bin`].filter(Boolean) as string[];
  const parts = (base.PATH ?? '').split(':').filter(Boolean);
  for (const dir of extra) if (!parts.includes(dir)) parts.push(dir);
  return { ...base, PATH: parts.join(':') };
}
