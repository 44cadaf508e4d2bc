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
  // Compiling `(x{999}|x{998}|…)` costs most of a second; refuse what would expand to a huge program before compiling it.
  // The estimate runs up to twice the real size, so only a clear excess is refused here; the compiled size is checked below.
  const estimate = estimateProgramSize(pattern);
  if (estimate > 2 * MAX_PATTERN_INSTRUCTIONS) return { ok: false, reason: `it expands to about ${estimate} steps (the limit is ${MAX_PATTERN_INSTRUCTIONS})` };
  let re: RE2JS;
  try {
    // JSON Schema patterns are ECMA-262 regexes; translateRegExp maps \u escapes and named groups to RE2 syntax.
    re = RE2JS.compile(RE2JS.translateRegExp(pattern));
  } catch (error) {
    return {
      ok: false,
      reason: `it uses a feature the linear-time engine lacks (${(error as Error).message.replace(/^error parsing regexp: /, '').slice(0, 200)})`,
    };
  }
  const instructions = re.re2().prog.numInst() as number;
  if (instructions > MAX_PATTERN_INSTRUCTIONS) return { ok: false, reason: `it compiles to ${instructions} steps (the limit is ${MAX_PATTERN_INSTRUCTIONS})` };
  return { ok: true, re, instructions };
}

/**
 * A rough size of the program a pattern compiles to, read from its source in
 * one pass: an atom counts 1, a group the sum of its parts, a counted repeat
 * `{n,m}` copies what it repeats up to max(n, m) times. Over-counts escapes
 * and group names a little, which only errs on the safe side.
 */
export function estimateProgramSize(pattern: string): number {
  const outer: number[] = [];
  let size = 0;
  let last = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    let atom = 1;
    if (c === '\\') {
      const braced = /^\\[pPux]\{[^}]*\}/.exec(pattern.slice(i, i + 64));
      i += braced ? braced[0].length - 1 : 1;
    } else if (c === '[') {
      let j = i + 1;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      i = j;
    } else if (c === '(') {
      outer.push(size);
      size = 0;
      last = 0;
      continue;
    } else if (c === ')') {
      atom = size + 1;
      size = outer.pop() ?? 0;
    } else if (c === '|' || c === '*' || c === '+' || c === '?') {
      size += 1;
      if (c === '|') last = 0;
      continue;
    } else if (c === '{') {
      const counted = /^\{(\d{1,6})(,(\d{0,6}))?\}/.exec(pattern.slice(i, i + 16));
      if (counted) {
        const min = Number(counted[1]);
        const times = counted[3] ? Math.max(min, Number(counted[3])) : counted[2] ? min + 1 : min;
        size += last * Math.max(0, times - 1) + times;
        last *= Math.max(1, times);
        i += counted[0].length - 1;
        continue;
      }
    }
    size += atom;
    last = atom;
  }
  return outer.reduce((a, b) => a + b, size);
}

/** A pattern as shown in a note: quoted, and short. */
export function showPattern(pattern: string): string {
  return JSON.stringify(pattern.length > 80 ? `${pattern.slice(0, 80)}…` : pattern);
}
