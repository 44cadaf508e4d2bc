// A one-line command, as people paste it from a README ("npx -y pkg args…"),
// split into the program and its arguments the way a POSIX shell would quote
// them, without running a shell: nothing is expanded, substituted or globbed.
// What cannot be one program (a pipe, `&&`, a redirect) is refused with a reason.

export interface SplitCommand {
  command: string;
  args: string[];
  /** Leading NAME=value words (`API_KEY=… npx pkg`): environment variables, not arguments. */
  env: { name: string; value: string }[];
}

export type SplitResult = { ok: true; value: SplitCommand } | { ok: false; error: string };

/** The words of a command line. Quotes group; a backslash escapes a space, quote or backslash (and is kept before anything else, so C:\path survives). */
export function tokenize(line: string): { ok: true; words: string[]; operator?: string } | { ok: false; error: string } {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  let operator: string | undefined;
  // A line continuation (backslash, newline) from a multi-line README snippet is just a space.
  const text = line.replace(/\\\r?\n/g, ' ');
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) word += text[++i];
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length && /[\s"'\\|&;<>]/.test(text[i + 1]!)) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      // Unquoted, these mean a pipe, a list or a redirect to a shell: not one program.
      if (!operator && /[|&;<>]/.test(c)) operator = /^(\|\||&&|>>|<<)/.exec(text.slice(i))?.[1] ?? c;
      word += c;
      inWord = true;
    }
  }
  if (quote) return { ok: false, error: `A ${quote === '"' ? 'double' : 'single'} quote is not closed.` };
  if (inWord) words.push(word);
  return { ok: true, words, ...(operator ? { operator } : {}) };
}

export function splitCommandLine(line: string): SplitResult {
  const tokens = tokenize(line.trim().replace(/^\$\s+/, ''));
  if (!tokens.ok) return tokens;
  if (tokens.operator)
    return {
      ok: false,
      error: `“${tokens.operator}” joins several commands in a shell. Switchboard runs one program without a shell: enter just the server's command.`,
    };
  const words = [...tokens.words];
  const env: SplitCommand['env'] = [];
  while (words.length > 1 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) {
    const w = words.shift()!;
    const eq = w.indexOf('=');
    env.push({ name: w.slice(0, eq), value: w.slice(eq + 1) });
  }
  if (words[0] === 'env' && words.length > 1) words.shift();
  const [command, ...args] = words;
  if (!command) return { ok: false, error: 'Enter a command.' };
  return { ok: true, value: { command, args, env } };
}

/** True when the Command field holds more than a program: something to split. */
export function isOneLineCommand(text: string): boolean {
  const r = tokenize(text.trim());
  return !r.ok || r.words.length > 1 || Boolean(r.operator);
}

/** A short name from what a server runs: `@scope/server-memory@1` → memory, `./dist/index.js` → index. */
export function suggestName(command: string, args: string[]): string {
  const pkg = args.find((a) => !a.startsWith('-') && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(a));
  const base = (pkg ?? command).split(/[\\/]/).pop() ?? '';
  const name = base
    .replace(/@.*$/, '')
    .replace(/\.(m?js|cjs|ts|py|exe)$/i, '')
    .replace(/^(mcp-server-|server-)/, '')
    .replace(/(-mcp-server|-mcp)$/, '');
  return name.slice(0, 100);
}

/** Arguments that are relative paths: they resolve against the working directory, so they break when it is not the folder they were written for. */
export function relativePathArgs(args: string[]): number[] {
  const relative = (value: string) =>
    /^\.\.?([\\/]|$)/.test(value) ||
    (!/^[-@~/\\]/.test(value) && !/^[A-Za-z]:[\\/]/.test(value) && !value.includes('://') && /[\\/]?[\w.-]+\.(m?js|cjs|ts|py|jar|sh)$/.test(value));
  return args.flatMap((arg, i) => {
    const value = arg.startsWith('-') && arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : arg;
    return relative(value) ? [i] : [];
  });
}

/** A command line to copy: each word quoted for a POSIX shell only when it needs it (for the user's terminal; Switchboard never runs it so). */
export function joinCommandLine(command: string, args: string[]): string {
  const quote = (w: string) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);
  return [command, ...args].map(quote).join(' ');
}
