import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, SchemaValidateFunction, ValidateFunction } from 'ajv';
import type { jsonSchemaValidator } from '@modelcontextprotocol/client';
import { compileSafePattern, showPattern, type SafePattern } from './safe-pattern';

// JSON Schema validation of tool arguments, tool output (structuredContent)
// and elicitation answers. Schemas come from servers: compiled once per
// distinct schema, bounded cache, and a schema that does not compile is
// reported rather than trusted.
//
// Every cost a server controls is bounded, so a check never holds the core:
// patterns run on RE2 (see safe-pattern.ts), with a work budget per check;
// schemas have a size and depth limit. What could not be checked safely is
// skipped and named in `unchecked`; the rest of the schema is still checked.

const MAX_CACHED = 500;
/**
 * Serialized size of a schema we compile at all. Ajv's compile time grows
 * faster than the schema (~0.5-1 s for 64 KB of plain properties on a busy
 * 2-core machine), so this is kept well below what a message could carry.
 */
export const MAX_SCHEMA_CHARS = 64 * 1024;
export const MAX_SCHEMA_DEPTH = 64;
/**
 * Pattern work per check, in compiled-instructions × input characters: RE2's
 * worst case (its NFA) costs about 0.1 µs per unit, so this is ~300 ms at worst.
 */
export const MAX_PATTERN_WORK = 3_000_000;
/** Time spent compiling one schema's patterns, after which its remaining patterns are skipped. */
const PATTERN_COMPILE_BUDGET_MS = 250;
/** Compiled patterns shared by all schemas (tools often repeat them). */
const MAX_CACHED_PATTERNS = 1000;
/** Other documents one schema may refer to; each stands in as "anything" (never fetched). */
const MAX_EXTERNAL_REFS = 16;
/** Ajv keeps every compiled schema and pattern; a fresh instance now and then bounds that. */
const COMPILES_PER_AJV = 100;

export interface SchemaCheck {
  valid: boolean;
  /** Field path ("" = the whole value, "a.b", "items.0") -> message. */
  fieldErrors: Record<string, string>;
  /** Set when the schema itself could not be compiled (nothing was checked). */
  schemaError?: string;
  /** Parts of the schema that were skipped because they cannot be checked safely (the rest was checked). */
  unchecked?: string[];
}

interface Compiled {
  validate: ValidateFunction;
  /** Patterns skipped at compile time (unsupported or too big). */
  unchecked: string[];
}

/** Per-check state the pattern tests read: the work left, and what was skipped. */
interface Run {
  work: number;
  /** Pattern -> note, one per pattern (created on the first skip: most checks skip nothing). */
  unchecked?: Map<string, string>;
}

type PatternTest = { test(s: string): boolean; toString(): string };

export class SchemaValidators {
  /** How long compiling one schema's patterns may take; tests shrink it to make the limit deterministic. */
  constructor(private readonly patternCompileBudgetMs = PATTERN_COMPILE_BUDGET_MS) {}

  private ajv = this.newAjv();
  private compiles = 0;
  private readonly cache = new Map<string, Compiled | Error>();
  /** Tool schemas are long-lived objects: look them up by identity before serializing. */
  private readonly byObject = new WeakMap<object, Compiled | Error>();
  /** The schema being compiled: time spent on its patterns, and those skipped. */
  private compiling: { patternMs: number; unchecked: string[] } | undefined;
  private readonly patterns = new Map<string, SafePattern>();
  /** The check under way (validation is synchronous, so one at a time). */
  private run: Run | undefined;

  check(schema: unknown, value: unknown): SchemaCheck {
    const compiled = this.compile(schema);
    if (compiled instanceof Error) return { valid: true, fieldErrors: {}, schemaError: compiled.message };
    const run: Run = { work: MAX_PATTERN_WORK };
    this.run = run;
    let ok: boolean;
    try {
      ok = compiled.validate(value) as boolean;
    } catch (error) {
      // e.g. data nested deeper than the stack under a recursive $ref
      return { valid: true, fieldErrors: {}, schemaError: `The value could not be checked against the schema: ${(error as Error)?.message ?? String(error)}` };
    } finally {
      this.run = undefined;
    }
    const out: SchemaCheck = ok ? { valid: true, fieldErrors: {} } : { valid: false, fieldErrors: fieldErrors(compiled.validate.errors ?? []) };
    if (compiled.unchecked.length > 0 || run.unchecked) out.unchecked = [...compiled.unchecked, ...(run.unchecked?.values() ?? [])];
    return out;
  }

  private newAjv(): Ajv2020 {
    // Ajv asks this engine for every `pattern` and `patternProperties` key; `code` only names it in generated source.
    const regExp = Object.assign((pattern: string) => this.patternTest(pattern), { code: 'switchboardSafePattern' });
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, validateSchema: false, code: { regExp } });
    // Ajv compares object items pairwise (8000 small objects: 3.4 s); one canonical key per item is linear.
    ajv.removeKeyword('uniqueItems');
    ajv.addKeyword({ keyword: 'uniqueItems', type: 'array', schemaType: 'boolean', errors: true, validate: uniqueItems });
    return ajv;
  }

  /** Called by Ajv while it compiles a schema. Never falls back to RegExp. */
  private patternTest(pattern: string): PatternTest {
    const compiling = this.compiling ?? { patternMs: 0, unchecked: [] };
    const skip = (reason: string): PatternTest => {
      compiling.unchecked.push(`The schema's pattern ${showPattern(pattern)} cannot be checked safely: ${reason}. It was not checked.`);
      // Ajv shares one test per key across schemas, so a skip must never share a key with a real test.
      return { test: () => true, toString: () => `skip:${pattern}` };
    };
    let safe = this.patterns.get(pattern);
    if (!safe) {
      if (compiling.patternMs > this.patternCompileBudgetMs) return skip('the schema has too many patterns to compile in time');
      const t0 = performance.now();
      safe = compileSafePattern(pattern);
      compiling.patternMs += performance.now() - t0;
      if (this.patterns.size >= MAX_CACHED_PATTERNS) this.patterns.delete(this.patterns.keys().next().value!);
      this.patterns.set(pattern, safe);
    }
    if (!safe.ok) return skip(safe.reason);
    const { re, instructions } = safe;
    return {
      test: (s: string) => {
        const run = this.run;
        if (!run) return re.test(s);
        const cost = instructions * Math.max(1, s.length);
        if (cost > run.work) {
          run.unchecked ??= new Map();
          if (!run.unchecked.has(pattern))
            run.unchecked.set(
              pattern,
              `The schema's pattern ${showPattern(pattern)} was not checked on a value of ${s.length} characters: too long to check safely.`,
            );
          return true;
        }
        run.work -= cost;
        return re.test(s);
      },
      toString: () => `re2:${pattern}`,
    };
  }

  private compile(schema: unknown): Compiled | Error {
    if (schema !== null && typeof schema === 'object') {
      const known = this.byObject.get(schema);
      if (known) return known;
      const compiled = this.compileByText(schema);
      this.byObject.set(schema, compiled);
      return compiled;
    }
    return this.compileByText(schema);
  }

  private compileByText(schema: unknown): Compiled | Error {
    let key: string;
    try {
      key = JSON.stringify(schema) ?? 'undefined';
    } catch (error) {
      return new Error(`The schema could not be read: ${(error as Error).message}`);
    }
    if (key.length > MAX_SCHEMA_CHARS)
      return new Error(`The schema is too large to check safely (${key.length} characters; the limit is ${MAX_SCHEMA_CHARS}).`);
    const hit = this.cache.get(key);
    if (hit) return hit;
    let compiled: Compiled | Error;
    try {
      if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) throw new Error('The schema is not an object.');
      if (deeperThan(schema, MAX_SCHEMA_DEPTH)) throw new Error(`The schema is nested deeper than ${MAX_SCHEMA_DEPTH} levels.`);
      // Draft-07 and 2020-12 share what tools use; the meta-schema URI would only make ajv refuse the other draft.
      const { $schema: _ignored, $id: _id, ...rest } = schema as Record<string, unknown>;
      if (++this.compiles % COMPILES_PER_AJV === 0) this.ajv = this.newAjv();
      const unchecked: string[] = [];
      this.compiling = { patternMs: 0, unchecked };
      try {
        compiled = { validate: this.compileWithoutFetching(rest, unchecked), unchecked };
      } finally {
        this.compiling = undefined;
      }
    } catch (error) {
      compiled = new Error(`The schema could not be compiled: ${(error as Error).message}`);
    }
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, compiled);
    return compiled;
  }

  /**
   * Compile a schema whose $refs may name other documents. Those are never
   * fetched (SEP-2106): each one stands in as an empty schema (anything goes)
   * for this compile only, and is named in `unchecked`. Same-document refs
   * ($defs, anchors) are checked as usual.
   */
  private compileWithoutFetching(schema: Record<string, unknown>, unchecked: string[]): ValidateFunction {
    const standIns: string[] = [];
    try {
      for (;;) {
        try {
          return this.ajv.compile(schema);
        } catch (error) {
          const missing = (error as { missingSchema?: unknown }).missingSchema;
          if (typeof missing !== 'string' || !missing || standIns.includes(missing) || standIns.length >= MAX_EXTERNAL_REFS) throw error;
          this.ajv.addSchema({}, missing);
          standIns.push(missing);
          unchecked.push(`The schema refers to ${missing}, which is not fetched: values there were not checked against it.`);
        }
      }
    } finally {
      for (const key of standIns) this.ajv.removeSchema(key);
    }
  }
}

const uniqueItems: SchemaValidateFunction = (schema: boolean, data: unknown[]) => {
  uniqueItems.errors = undefined;
  if (!schema) return true;
  const seen = new Map<string, number>();
  for (let i = 0; i < data.length; i++) {
    const key = canonicalJson(data[i]);
    const j = seen.get(key);
    if (j !== undefined) {
      uniqueItems.errors = [{ keyword: 'uniqueItems', params: { i, j }, message: `must not have duplicate items (items ${j} and ${i} are identical)` }];
      return false;
    }
    seen.set(key, i);
  }
  return true;
};

/** JSON text with object keys sorted: equal JSON values give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function deeperThan(root: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * The MCP SDK Client checks structuredContent against outputSchema with its
 * own (backtracking, eager) Ajv unless given a validator: this one is ours,
 * bounded the same way, and compiles only when used, so listing tools
 * compiles nothing and a schema Ajv rejects cannot break the tool list.
 */
export function boundedSdkValidator(validators = new SchemaValidators()): jsonSchemaValidator {
  return {
    getValidator:
      <T>(schema: unknown) =>
      (input: unknown) => {
        const check = validators.check(schema, input);
        if (check.valid) return { valid: true as const, data: input as T, errorMessage: undefined };
        return { valid: false as const, data: undefined, errorMessage: describeFieldErrors(check.fieldErrors).join('; ') };
      },
  };
}

export function fieldErrors(errors: ErrorObject[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) {
    const base = e.instancePath
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    let path = base;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      path = [...base, String((e.params as { missingProperty: string }).missingProperty)];
      message = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      path = [...base, String((e.params as { additionalProperty: string }).additionalProperty)];
      message = 'is not allowed here';
    } else if (e.keyword === 'enum') {
      message = `must be one of ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues).slice(0, 300)}`;
    }
    const key = path.join('.');
    if (!(key in out)) out[key] = message;
  }
  return out;
}

/** "a.b: is required; c: must be number" */
export function describeFieldErrors(errors: Record<string, string>): string[] {
  return Object.entries(errors).map(([path, message]) => (path ? `${path}: ${message}` : message));
}
