import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

// Finds what a command name would run on a given PATH, so validation can say
// "not found on PATH" before we spawn, and the trust prompt can show the real
// binary. On Windows the PATHEXT list finds `npx.cmd` shims for `npx`.

export function resolveCommand(command: string, env: NodeJS.ProcessEnv, cwd?: string, platform: NodeJS.Platform = process.platform): string | null {
  if (!command) return null;
  const isWindows = platform === 'win32';
  // Windows file names are case-insensitive; try the lower-case spelling too so this also works off Windows (tests).
  const exts = isWindows
    ? [
        ...new Set(
          (env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD')
            .split(';')
            .filter(Boolean)
            .flatMap((e) => [e, e.toLowerCase()]),
        ),
      ]
    : [''];
  const candidatesFor = (base: string): string[] =>
    isWindows && /\.[a-z0-9]+$/i.test(base) ? [base, ...exts.map((e) => base + e)] : exts.map((e) => base + e);

  if (command.includes('/') || (isWindows && command.includes('\\')) || isAbsolute(command)) {
    const base = isAbsolute(command) ? command : resolve(cwd ?? process.cwd(), command);
    return candidatesFor(base).find((c) => isExecutable(c, isWindows)) ?? null;
  }
  const pathValue = env.PATH ?? env.Path ?? '';
  for (const dir of pathValue.split(isWindows ? ';' : delimiter)) {
    if (!dir) continue;
    for (const candidate of candidatesFor(join(dir, command))) if (isExecutable(candidate, isWindows)) return candidate;
  }
  return null;
}

function isExecutable(file: string, isWindows: boolean): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (!isWindows) accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
