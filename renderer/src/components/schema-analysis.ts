// What a JSON Schema field is, read in place (the schema is never rewritten):
// local $refs ($defs / definitions) are followed, a $ref to another document is
// never fetched, and the kind of input each field gets is decided here.

export type Schema = Record<string, unknown>;
export type FieldErrors = Record<string, string>;

export const isObj = (v: unknown): v is Schema => v !== null && typeof v === 'object' && !Array.isArray(v);

export function resolveRef(schema: unknown, root: Schema, depth = 0): Schema {
  if (!isObj(schema)) return {};
  const ref = schema.$ref;
  if (typeof ref !== 'string' || depth > 10 || !ref.startsWith('#')) return schema;
  let target: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
    target = isObj(target) ? target[key] : undefined;
  }
  const { $ref: _ignored, ...rest } = schema;
  return { ...resolveRef(target, root, depth + 1), ...rest };
}

/** The `$ref` the form cannot follow (another document, or a pointer to nothing in this one), if any. */
export function unresolvedRef(schema: unknown, root: Schema, depth = 0): string | undefined {
  if (!isObj(schema) || typeof schema.$ref !== 'string') return undefined;
  const ref = schema.$ref;
  if (!ref.startsWith('#') || depth > 10) return ref;
  let target: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
    target = isObj(target) ? target[key] : undefined;
  }
  return isObj(target) ? unresolvedRef(target, root, depth + 1) : ref;
}

export type Kind = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'const' | 'null' | 'json';

export function analyze(raw: unknown, root: Schema): { kind: Kind; schema: Schema; nullable: boolean } {
  let schema = resolveRef(raw, root);
  let nullable = false;
  const union = (Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined) as unknown[] | undefined;
  if (union) {
    const members = union.map((m) => resolveRef(m, root));
    const nonNull = members.filter((m) => m.type !== 'null');
    if (nonNull.length < members.length) nullable = true;
    if (nonNull.length === 1) {
      const { anyOf: _a, oneOf: _o, ...rest } = schema;
      schema = { ...rest, ...nonNull[0] };
    } else if (nonNull.length > 1) {
      // A union of constants is an enum.
      if (nonNull.every((m) => 'const' in m))
        return { kind: 'enum', schema: { ...schema, enum: nonNull.map((m) => m.const), 'x-titles': nonNull.map((m) => m.title) }, nullable };
      return { kind: 'json', schema, nullable };
    }
  }
  if (Array.isArray(schema.enum)) return { kind: 'enum', schema, nullable: nullable || schema.enum.includes(null) };
  if ('const' in schema) return { kind: 'const', schema, nullable };
  let type = schema.type;
  if (Array.isArray(type)) {
    if (type.includes('null')) nullable = true;
    const rest = type.filter((t) => t !== 'null');
    type = rest.length === 1 ? rest[0] : rest.length === 0 ? 'null' : undefined;
  }
  if (type === undefined && isObj(schema.properties)) type = 'object';
  if (type === 'array' && Array.isArray(schema.prefixItems)) return { kind: 'json', schema, nullable };
  const known: Kind[] = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'];
  return { kind: known.includes(type as Kind) ? (type as Kind) : 'json', schema, nullable };
}

/** The value a fresh form starts with: defaults, and empty objects for nested required objects. */
export function initialValue(raw: unknown, root: Schema, required = true, depth = 0): unknown {
  const { kind, schema } = analyze(raw, root);
  if ('default' in schema) return structuredClone(schema.default);
  if (kind === 'const') return schema.const;
  if (kind === 'object' && (required || depth === 0) && depth < 8) {
    const out: Record<string, unknown> = {};
    const props = isObj(schema.properties) ? schema.properties : {};
    const req = Array.isArray(schema.required) ? schema.required : [];
    for (const [key, sub] of Object.entries(props)) {
      const v = initialValue(sub, root, req.includes(key), depth + 1);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
  return undefined;
}

export function defaultFor(kind: Kind): unknown {
  return kind === 'boolean' ? false : kind === 'object' ? {} : kind === 'array' ? [] : kind === 'string' ? '' : undefined;
}
