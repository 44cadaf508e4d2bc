import { useId, useState, type ReactNode } from 'react';
import { analyze, defaultFor, initialValue, isObj, unresolvedRef, resolveRef, type FieldErrors, type Schema } from './schema-analysis';

export { analyze, initialValue, resolveRef, unresolvedRef, type FieldErrors, type Schema } from './schema-analysis';

// A form built from a JSON Schema (tool input schemas, elicitation schemas).
// Covers objects, arrays, enums, const, defaults, required, nullable unions
// (type arrays and anyOf/oneOf with null), nested objects and local $refs
// ($defs / definitions), read in place: the schema is never rewritten, and a
// $ref to anything outside the document is never fetched. Anything else gets
// a JSON text box for that field (with a note when an unresolved $ref is why).
// The schema comes from a server: its strings are only ever rendered as text.

interface FieldProps {
  name: string;
  label: string;
  schema: unknown;
  root: Schema;
  value: unknown;
  onChange: (value: unknown) => void;
  required: boolean;
  path: string;
  errors: FieldErrors;
  depth: number;
  useTitles: boolean;
}

export function SchemaForm({
  schema,
  value,
  onChange,
  errors = {},
  useTitles = false,
}: {
  schema: Schema;
  value: unknown;
  onChange: (value: unknown) => void;
  errors?: FieldErrors;
  useTitles?: boolean;
}) {
  const { kind, schema: resolved } = analyze(schema, schema);
  if (kind === 'object') {
    const props = isObj(resolved.properties) ? resolved.properties : {};
    if (Object.keys(props).length === 0) return <p className="hint">No arguments.</p>;
    return (
      <div className="schema-form">
        {errors[''] && (
          <p className="field-error" role="alert">
            {errors['']}
          </p>
        )}
        <ObjectFields schema={resolved} root={schema} value={value} onChange={onChange} path="" errors={errors} depth={0} useTitles={useTitles} />
      </div>
    );
  }
  return (
    <Field
      name="value"
      label="Value"
      schema={schema}
      root={schema}
      value={value}
      onChange={onChange}
      required
      path=""
      errors={errors}
      depth={0}
      useTitles={useTitles}
    />
  );
}

function ObjectFields({
  schema,
  root,
  value,
  onChange,
  path,
  errors,
  depth,
  useTitles,
}: {
  schema: Schema;
  root: Schema;
  value: unknown;
  onChange: (v: unknown) => void;
  path: string;
  errors: FieldErrors;
  depth: number;
  useTitles: boolean;
}) {
  const props = isObj(schema.properties) ? schema.properties : {};
  const req = Array.isArray(schema.required) ? schema.required : [];
  const obj = isObj(value) ? value : {};
  return (
    <>
      {Object.entries(props).map(([key, sub]) => {
        const resolved = resolveRef(sub, root);
        const label = useTitles && typeof resolved.title === 'string' && resolved.title ? resolved.title : key;
        return (
          <Field
            key={key}
            name={key}
            label={label}
            schema={sub}
            root={root}
            value={obj[key]}
            required={req.includes(key)}
            path={path ? `${path}.${key}` : key}
            errors={errors}
            depth={depth + 1}
            useTitles={useTitles}
            onChange={(v) => {
              const next = { ...obj };
              if (v === undefined) delete next[key];
              else next[key] = v;
              onChange(next);
            }}
          />
        );
      })}
    </>
  );
}

function Field(props: FieldProps) {
  const { label, schema: raw, root, value, onChange, required, path, errors, depth } = props;
  const id = useId();
  const { kind, schema, nullable } = analyze(raw, root);
  const error = errors[path];
  const description = typeof schema.description === 'string' ? schema.description : undefined;
  const ref = kind === 'json' ? unresolvedRef(raw, root) : undefined;
  const descId = description || ref ? `${id}-desc` : undefined;
  const isNull = value === null && nullable;
  // aria-required: the visible star is aria-hidden, so this is how assistive tech learns the field is required.
  const common = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-required': required ? true : undefined,
    'aria-describedby': descId,
    disabled: isNull,
  } as const;

  let control: ReactNode;
  if (depth > 12) control = <JsonInput {...common} value={value} onChange={onChange} />;
  else if (kind === 'object') {
    return (
      <fieldset className="schema-object" aria-invalid={error ? true : undefined}>
        <legend>
          {label}
          {required && <span aria-hidden="true"> *</span>}
        </legend>
        {description && (
          <p className="hint" id={descId}>
            {description}
          </p>
        )}
        {nullable && <NullToggle label={label} value={value} onChange={onChange} fallback={() => initialValue(raw, root, true, depth)} />}
        {!isNull && <ObjectFields {...props} schema={schema} value={value} />}
        {error && <p className="field-error">{error}</p>}
      </fieldset>
    );
  } else if (kind === 'array') {
    const items = Array.isArray(value) ? value : [];
    return (
      <fieldset className="schema-array" aria-invalid={error ? true : undefined}>
        <legend>
          {label}
          {required && <span aria-hidden="true"> *</span>}
        </legend>
        {description && (
          <p className="hint" id={descId}>
            {description}
          </p>
        )}
        {nullable && <NullToggle label={label} value={value} onChange={onChange} fallback={() => []} />}
        {!isNull &&
          items.map((item, i) => (
            <div className="array-item" key={i}>
              <Field
                {...props}
                name={`${i}`}
                label={`${label} item ${i + 1}`}
                schema={schema.items ?? {}}
                value={item}
                required
                path={`${path}.${i}`}
                depth={depth + 1}
                onChange={(v) => onChange(items.map((x, j) => (j === i ? v : x)))}
              />
              <button type="button" className="small" aria-label={`Remove ${label} item ${i + 1}`} onClick={() => onChange(items.filter((_, j) => j !== i))}>
                Remove
              </button>
            </div>
          ))}
        {!isNull && (
          <button
            type="button"
            className="small"
            onClick={() => onChange([...items, initialValue(schema.items ?? {}, root, true, depth + 1) ?? defaultFor(analyze(schema.items ?? {}, root).kind)])}
          >
            Add {label} item
          </button>
        )}
        {error && <p className="field-error">{error}</p>}
      </fieldset>
    );
  } else if (kind === 'enum') {
    const options = schema.enum as unknown[];
    const titles = Array.isArray(schema['x-titles']) ? (schema['x-titles'] as unknown[]) : [];
    const index = options.findIndex((o) => JSON.stringify(o) === JSON.stringify(value));
    control = (
      <select
        {...common}
        value={index < 0 ? '' : String(index)}
        onChange={(e) => onChange(e.target.value === '' ? undefined : options[Number(e.target.value)])}
      >
        <option value="">— choose —</option>
        {options.map((o, i) => (
          <option key={i} value={String(i)}>
            {typeof titles[i] === 'string' ? `${titles[i] as string} (${String(o)})` : typeof o === 'string' ? o : JSON.stringify(o)}
          </option>
        ))}
      </select>
    );
  } else if (kind === 'const') {
    control = <input {...common} readOnly value={JSON.stringify(schema.const)} />;
  } else if (kind === 'boolean') {
    control = <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
  } else if (kind === 'number' || kind === 'integer') {
    control = <NumberInput {...common} integer={kind === 'integer'} min={schema.minimum} max={schema.maximum} value={value} onChange={onChange} />;
  } else if (kind === 'string') {
    const format = typeof schema.format === 'string' ? schema.format : '';
    const type = format === 'email' ? 'email' : format === 'uri' ? 'url' : format === 'date' ? 'date' : format === 'date-time' ? 'datetime-local' : 'text';
    control = (
      <input
        {...common}
        type={type}
        value={typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value)}
        minLength={typeof schema.minLength === 'number' ? schema.minLength : undefined}
        maxLength={typeof schema.maxLength === 'number' ? schema.maxLength : undefined}
        onChange={(e) => onChange(e.target.value === '' && !required ? undefined : e.target.value)}
      />
    );
  } else if (kind === 'null') {
    control = <input {...common} readOnly value="null" />;
  } else {
    control = <JsonInput {...common} value={value} onChange={onChange} />;
  }

  return (
    <div className={`field${kind === 'boolean' ? ' field-check' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      {kind !== 'enum' && kind !== 'boolean' && typeof schema.type === 'string' && <span className="type-hint">{String(schema.type)}</span>}
      {control}
      {nullable && <NullToggle label={label} value={value} onChange={onChange} fallback={() => undefined} />}
      {(description || ref) && (
        <p className="hint" id={descId}>
          {ref && (
            <span className="ref-note">
              The form cannot show this field: its schema refers to {ref}, which Switchboard does not fetch. Enter the value as JSON.{' '}
            </span>
          )}
          {description}
        </p>
      )}
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}

function NullToggle({ label, value, onChange, fallback }: { label: string; value: unknown; onChange: (v: unknown) => void; fallback: () => unknown }) {
  return (
    <label className="inline null-toggle">
      <input type="checkbox" checked={value === null} onChange={(e) => onChange(e.target.checked ? null : fallback())} aria-label={`${label} is null`} />
      null
    </label>
  );
}

function NumberInput({
  value,
  onChange,
  integer,
  min,
  max,
  ...rest
}: {
  id: string;
  value: unknown;
  onChange: (v: unknown) => void;
  integer: boolean;
  min: unknown;
  max: unknown;
  disabled?: boolean;
  'aria-invalid'?: boolean;
  'aria-required'?: boolean;
  'aria-describedby'?: string;
}) {
  const [text, setText] = useState(typeof value === 'number' ? String(value) : '');
  return (
    <input
      {...rest}
      type="number"
      step={integer ? 1 : 'any'}
      min={typeof min === 'number' ? min : undefined}
      max={typeof max === 'number' ? max : undefined}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(e.target.value === '' ? undefined : Number(e.target.value));
      }}
    />
  );
}

function JsonInput({
  value,
  onChange,
  ...rest
}: {
  id: string;
  value: unknown;
  onChange: (v: unknown) => void;
  disabled?: boolean;
  'aria-invalid'?: boolean;
  'aria-required'?: boolean;
  'aria-describedby'?: string;
}) {
  const [text, setText] = useState(value === undefined ? '' : JSON.stringify(value, null, 2));
  const [bad, setBad] = useState(false);
  return (
    <>
      <textarea
        {...rest}
        className="json-input"
        rows={3}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value.trim() === '') {
            setBad(false);
            return onChange(undefined);
          }
          try {
            onChange(JSON.parse(e.target.value));
            setBad(false);
          } catch {
            setBad(true);
          }
        }}
      />
      {bad && <p className="field-error">Not valid JSON yet.</p>}
    </>
  );
}
