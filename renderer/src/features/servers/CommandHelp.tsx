import type { ReactNode } from 'react';
import { isOneLineCommand, relativePathArgs, splitCommandLine, type SplitCommand } from './command-line';

// Help under the Command and Arguments fields of a new local server: what a
// pasted line will run as (shown before saving), a JSON config recognised, and
// relative paths explained (they resolve against the working directory, which
// is the home folder unless one is set), never blamed on PATH.

export const looksLikeJson = (text: string) => {
  const t = text.trim();
  return t.startsWith('{') || /^"[^"\n]{1,200}"\s*:\s*\{/.test(t);
};

const isRelativePath = (command: string) => !/^([\\/]|[A-Za-z]:[\\/])/.test(command) && /[\\/]/.test(command);

function Help({ children, label }: { children: ReactNode; label: string }) {
  return (
    <div className="input-help" role="note" aria-label={label}>
      {children}
    </div>
  );
}

export function CommandHelp({
  command,
  cwd,
  splitNote,
  onSplit,
  onImport,
}: {
  command: string;
  cwd: string;
  /** Said after a paste was split: what happened, for the user to check. */
  splitNote?: string;
  onSplit: (split: SplitCommand) => void;
  onImport: () => void;
}) {
  if (looksLikeJson(command))
    return (
      <Help label="JSON config detected">
        This is a JSON config, not a command. Switchboard can read it as Claude Desktop, Cursor and VS Code do.{' '}
        <button type="button" onClick={onImport}>
          Review the import
        </button>
      </Help>
    );
  if (isOneLineCommand(command)) {
    const split = splitCommandLine(command);
    if (!split.ok)
      return (
        <Help label="How this line runs">
          <span className="field-error">{split.error}</span>
        </Help>
      );
    const { command: program, args, env } = split.value;
    return (
      <Help label="How this line runs">
        This runs <code>{program}</code> with {args.length} {args.length === 1 ? 'argument' : 'arguments'}
        {env.length ? ` and sets ${env.map((e) => e.name).join(', ')}` : ''}.{' '}
        <button type="button" onClick={() => onSplit(split.value)}>
          Split into program and arguments
        </button>
      </Help>
    );
  }
  return (
    <>
      {splitNote && (
        <p className="hint" role="status">
          {splitNote}
        </p>
      )}
      {isRelativePath(command.trim()) && !cwd.trim() && (
        <Help label="Relative path warning">
          <code>{command.trim()}</code> is a relative path: it is looked for in the working directory, which is your home folder unless you set one below, not
          on PATH. Use an absolute path, or set Working directory to the folder it belongs to.
        </Help>
      )}
    </>
  );
}

export function ArgsHelp({ args, cwd }: { args: string[]; cwd: string }) {
  const relative = relativePathArgs(args);
  if (relative.length === 0 || cwd.trim()) return null;
  return (
    <Help label="Relative argument warning">
      {relative.length === 1 ? 'This argument is a relative path' : 'These arguments are relative paths'}:{' '}
      {relative.map((i) => (
        <code key={i}>{args[i]} </code>
      ))}
      . They resolve against the working directory, which is your home folder unless you set one below. Use absolute paths, or set Working directory to the
      folder they belong to.
    </Help>
  );
}
