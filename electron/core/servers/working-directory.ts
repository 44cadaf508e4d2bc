import { homedir } from 'node:os';
import { isAbsolute } from 'node:path';
import { resolveCommand } from './resolve-command';

// Where a local server runs when its config names no folder: the user's home,
// never the app's own folder (which nobody chose and which differs between a
// packaged and a development build). This applies to servers added before the
// default existed too: their approved spec says "no working directory", and the
// approval now shows which folder that means.

export function workingDirectoryOf(cwd: string | undefined | null, env: NodeJS.ProcessEnv): string {
  return cwd || env.HOME || env.USERPROFILE || homedir();
}

/** A command given as a relative path (./dist/index.js, bin/server): found from the working directory, not on PATH. */
export function isRelativePathCommand(command: string): boolean {
  return !isAbsolute(command) && (command.includes('/') || command.includes('\\'));
}

/** Why a command cannot be run, or undefined when it resolves. Relative paths are explained, not blamed on PATH. */
export function commandProblem(command: string, env: NodeJS.ProcessEnv, cwd: string | undefined): string | undefined {
  const folder = workingDirectoryOf(cwd, env);
  if (resolveCommand(command, env, folder)) return undefined;
  if (isRelativePathCommand(command))
    return (
      `"${command}" is a relative path, so it is looked for in the working directory (${folder}${cwd ? '' : ', your home folder'}), not on PATH, and it is not there. ` +
      'Use an absolute path, or set Working directory to the folder it is relative to.'
    );
  return `Command not found on PATH: "${command}". Install it or use an absolute path.`;
}
