import { RE2JS } from 're2js';

// Server-supplied JSON Schema patterns run on RE2 (re2js, pure JS), never on
// the backtracking RegExp engine: `^(a+)+$` against 31 characters froze the
// core for over a minute. RE2 matches in time linear in the input, but the
// factor is the size of the compiled program (an NFA step per instruction per
// character when its DFA gives up), so both are bounded too. A pattern RE2
// cannot compile (backreferences, lookaround) or that is too big is never
// handed to RegExp instead: it is skipped and reported as not checked.

/** Longer pattern sources are not compiled at all (compiling costs time too). */
export const MAX_PATTERN_CHARS = 1000;
/** Bigger compiled programs make every character of the input too expensive. */
export const MAX_PATTERN_INSTRUCTIONS = 3000;

export type SafePattern = { ok: true; re: RE2JS; instructions: number } | { ok: false; reason: string };

export function compileSafePattern(pattern: string): SafePattern {
  if (pattern.length > MAX_PATTERN_CHARS) return { ok: false, reason: `it is longer than ${MAX_PATTERN_CHARS} characters` };
  let re: RE2JS;
  try {
    // JSON Schema patterns are ECMA-262 regexes; translateRegExp maps \u escapes and named groups to RE2 syntax.
    re = RE2JS.compile(RE2JS.translateRegExp(pattern));
  } catch (error) {
    return { ok: false, reason: `it uses a feature the linear-time engine lacks (${(error as Error).message.replace(/^error parsing regexp: /, '').slice(0, 200)})` };
  }
  const instructions = re.re2().prog.numInst() as number;
  if (instructions > MAX_PATTERN_INSTRUCTIONS) return { ok: false, reason: `it compiles to ${instructions} steps (the limit is ${MAX_PATTERN_INSTRUCTIONS})` };
  return { ok: true, re, instructions };
}

/** A pattern as shown in a note: quoted, and short. */
export function showPattern(pattern: string): string {
  return JSON.stringify(pattern.length > 80 ? `${pattern.slice(0, 80)}…` : pattern);
}
