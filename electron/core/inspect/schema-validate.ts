import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';

// JSON Schema validation of tool arguments, tool output (structuredContent)
// and elicitation answers. Schemas come from servers: compiled once per
// distinct schema, bounded cache, and a schema that does not compile is
// reported rather than trusted.

const MAX_CACHED = 500;

export interface SchemaCheck {
  valid: boolean;
  /** Field path ("" = the whole value, "a.b", "items.0") -> message. */
  fieldErrors: Record<string, string>;
  /** Set when the schema itself could not be compiled (nothing was checked). */
  schemaError?: string;
}

export class SchemaValidators {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
  private readonly cache = new Map<string, ValidateFunction | Error>();
  /** Tool schemas are long-lived objects: look them up by identity before serializing. */
  private readonly byObject = new WeakMap<object, ValidateFunction | Error>();

  check(schema: unknown, value: unknown): SchemaCheck {
    const validate = this.compile(schema);
    if (validate instanceof Error) return { valid: true, fieldErrors: {}, schemaError: validate.message };
    if (validate(value)) return { valid: true, fieldErrors: {} };
    return { valid: false, fieldErrors: fieldErrors(validate.errors ?? []) };
  }

  private compile(schema: unknown): ValidateFunction | Error {
    if (schema !== null && typeof schema === 'object') {
      const known = this.byObject.get(schema);
      if (known) return known;
      const compiled = this.compileByText(schema);
      this.byObject.set(schema, compiled);
      return compiled;
    }
    return this.compileByText(schema);
  }

  private compileByText(schema: unknown): ValidateFunction | Error {
    let key: string;
    try {
      key = JSON.stringify(schema) ?? 'undefined';
    } catch (error) {
      return error as Error;
    }
    const hit = this.cache.get(key);
    if (hit) return hit;
    let compiled: ValidateFunction | Error;
    try {
      if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) throw new Error('The schema is not an object.');
      // Draft-07 and 2020-12 share what tools use; the meta-schema URI would only make ajv refuse the other draft.
      const { $schema: _ignored, $id: _id, ...rest } = schema as Record<string, unknown>;
      compiled = this.ajv.compile(rest);
    } catch (error) {
      compiled = new Error(`The schema could not be compiled: ${(error as Error).message}`);
    }
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, compiled);
    return compiled;
  }
}

export function fieldErrors(errors: ErrorObject[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) {
    const base = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
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
