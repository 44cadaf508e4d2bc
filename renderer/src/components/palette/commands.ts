// The command registry: every feature contributes the commands it offers right
// now (from its stores' state), and the palette shows them by name. A source is
// called each time the palette opens, so the list is always current.

export interface Command {
  /** Unique and stable across openings (e.g. "servers.connect:<id>"). */
  id: string;
  /** What the user reads and types: "Connect memory", "memory › echo". */
  title: string;
  /** A short group label shown beside the title: "Server", "Tool", "View". */
  group: string;
  /** More words that should find the command (not shown). */
  keywords?: string;
  /** The shortcut that does the same, as shown in the help sheet (see shortcuts.ts). */
  shortcut?: string;
  run(): void;
}

export type CommandSource = () => Command[];

export function collectCommands(sources: readonly CommandSource[]): Command[] {
  const seen = new Set<string>();
  const all: Command[] = [];
  for (const source of sources)
    for (const command of source()) {
      if (seen.has(command.id)) continue;
      seen.add(command.id);
      all.push(command);
    }
  return all;
}

const words = (text: string) =>
  text
    .toLowerCase()
    .split(/[\s›>/:._-]+/)
    .filter(Boolean);

/** Whether every character of `needle` appears in order in `hay`. */
function subsequence(needle: string, hay: string): boolean {
  let i = 0;
  for (const ch of hay) if (ch === needle[i] && ++i === needle.length) return true;
  return needle.length === 0;
}

/**
 * How well a command matches the query (higher is better), or -1 when it does not.
 * Every query word must match the title, group or keywords; a whole title word
 * scores most, then the start of one, a substring of the title, keywords, and
 * letters in order (initials) least.
 */
export function scoreCommand(command: Command, query: string): number {
  const tokens = words(query);
  if (tokens.length === 0) return 0;
  const title = command.title.toLowerCase();
  const titleWords = words(command.title);
  const rest = `${command.group} ${command.keywords ?? ''}`.toLowerCase();
  let score = 0;
  for (const token of tokens) {
    if (titleWords.some((w) => w === token)) score += 12;
    else if (titleWords.some((w) => w.startsWith(token))) score += 8;
    else if (title.includes(token)) score += 5;
    else if (rest.includes(token)) score += 3;
    else if (subsequence(token, title.replace(/\s+/g, ''))) score += 1;
    else return -1;
  }
  return score;
}

/** The commands that match, best first; equal scores keep the sources' order. */
export function filterCommands(commands: readonly Command[], query: string): Command[] {
  if (!query.trim()) return [...commands];
  return commands
    .map((command, index) => ({ command, index, score: scoreCommand(command, query) }))
    .filter((x) => x.score >= 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((x) => x.command);
}
