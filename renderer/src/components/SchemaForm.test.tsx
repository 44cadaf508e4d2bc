import { fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { initialValue, SchemaForm, type FieldErrors, type Schema } from './SchemaForm';

// The form a user fills for a tool's arguments, built from a server's JSON Schema.
// Found by role and label as a user (or a screen reader) finds it.

/** The form with its value held in state, as ToolCaller holds it; `value()` reads what the form last emitted. */
function renderForm(schema: Schema, options: { errors?: FieldErrors; useTitles?: boolean; initial?: unknown } = {}) {
  let latest: unknown = options.initial ?? initialValue(schema, schema);
  function Harness() {
    const [value, setValue] = useState<unknown>(latest);
    return (
      <SchemaForm
        schema={schema}
        value={value}
        errors={options.errors}
        useTitles={options.useTitles}
        onChange={(v) => {
          latest = v;
          setValue(v);
        }}
      />
    );
  }
  render(<Harness />);
  return { value: () => latest };
}

/** The field wrapper around a control: where its hint and error are shown. */
const fieldOf = (control: HTMLElement): HTMLElement => control.closest('.field') as HTMLElement;

const everyKind: Schema = {
  type: 'object',
  properties: {
    message: { type: 'string', title: 'Message text', description: 'What to say' },
    count: { type: 'integer', title: 'How many', minimum: 1, default: 2 },
    ratio: { type: 'number' },
    loud: { type: 'boolean', default: true },
    mood: { enum: ['calm', 'angry'], default: 'angry' },
    level: { enum: [1, 2, 3] },
    tags: { type: 'array', items: { type: 'string' }, description: 'Labels to attach' },
    options: { type: 'object', properties: { depth: { type: 'integer' } }, required: ['depth'] },
  },
  required: ['message', 'options'],
};

describe('SchemaForm', () => {
  it('renders one labelled control per property kind, with descriptions as accessible descriptions', () => {
    renderForm(everyKind);
    expect(screen.getByRole('textbox', { name: 'message', description: 'What to say' })).toBeTruthy();
    expect(screen.getByRole('spinbutton', { name: 'count' })).toBeTruthy();
    expect(screen.getByRole('spinbutton', { name: 'ratio' })).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: 'loud' })).toBeTruthy();
    const mood = screen.getByRole('combobox', { name: 'mood' });
    expect(
      within(mood)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['— choose —', 'calm', 'angry']);
    const tags = screen.getByRole('group', { name: 'tags' });
    expect(within(tags).getByText('Labels to attach')).toBeTruthy();
    expect(within(tags).getByRole('button', { name: 'Add tags item' })).toBeTruthy();
    const options = screen.getByRole('group', { name: /options/ });
    expect(within(options).getByRole('spinbutton', { name: 'depth' })).toBeTruthy();
  });

  it('labels fields with schema titles when asked to (elicitation forms)', () => {
    renderForm(everyKind, { useTitles: true });
    expect(screen.getByRole('textbox', { name: 'Message text' })).toBeTruthy();
    expect(screen.getByRole('spinbutton', { name: 'How many' })).toBeTruthy();
    // No title: the property name.
    expect(screen.getByRole('spinbutton', { name: 'ratio' })).toBeTruthy();
  });

  it('marks required fields, and only those, visibly and for assistive tech', () => {
    renderForm(everyKind);
    const message = screen.getByRole('textbox', { name: 'message' }) as HTMLInputElement;
    expect(message.labels?.[0]?.textContent).toBe('message *');
    expect(message.getAttribute('aria-required')).toBe('true');
    const count = screen.getByRole('spinbutton', { name: 'count' }) as HTMLInputElement;
    expect(count.labels?.[0]?.textContent).toBe('count');
    expect(count.getAttribute('aria-required')).toBeNull();
    expect(screen.getByRole('spinbutton', { name: 'depth' }).getAttribute('aria-required')).toBe('true');
    expect(screen.getByRole('group', { name: /options/ }).querySelector('legend')?.textContent).toBe('options *');
    expect(screen.getByRole('group', { name: 'tags' }).querySelector('legend')?.textContent).toBe('tags');
  });

  it('starts from the schema defaults', () => {
    const form = renderForm(everyKind);
    expect((screen.getByRole('spinbutton', { name: 'count' }) as HTMLInputElement).value).toBe('2');
    expect((screen.getByRole('checkbox', { name: 'loud' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('option', { name: 'angry' }) as HTMLOptionElement).selected).toBe(true);
    expect(form.value()).toEqual({ count: 2, loud: true, mood: 'angry', options: {} });
  });

  it('emits typed values: numbers as numbers, enum members as themselves, array items added and removed', () => {
    const form = renderForm(everyKind);
    fireEvent.change(screen.getByRole('textbox', { name: 'message' }), { target: { value: 'hello' } });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'ratio' }), { target: { value: '0.5' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'loud' }));
    const level = screen.getByRole('combobox', { name: 'level' });
    fireEvent.change(level, { target: { value: within(level).getByRole('option', { name: '3' }).getAttribute('value') } });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'depth' }), { target: { value: '4' } });
    const tags = screen.getByRole('group', { name: 'tags' });
    fireEvent.click(within(tags).getByRole('button', { name: 'Add tags item' }));
    fireEvent.click(within(tags).getByRole('button', { name: 'Add tags item' }));
    fireEvent.change(within(tags).getByRole('textbox', { name: 'tags item 1' }), { target: { value: 'first' } });
    fireEvent.change(within(tags).getByRole('textbox', { name: 'tags item 2' }), { target: { value: 'second' } });
    expect(form.value()).toEqual({
      message: 'hello',
      count: 2,
      ratio: 0.5,
      loud: false,
      mood: 'angry',
      level: 3,
      options: { depth: 4 },
      tags: ['first', 'second'],
    });

    fireEvent.click(within(tags).getByRole('button', { name: 'Remove tags item 1' }));
    expect((form.value() as { tags: string[] }).tags).toEqual(['second']);
    // Clearing an optional field drops it rather than sending "".
    fireEvent.change(screen.getByRole('spinbutton', { name: 'ratio' }), { target: { value: '' } });
    expect(form.value()).not.toHaveProperty('ratio');
  });

  it('shows each field error next to its own field and marks that control invalid', () => {
    renderForm(everyKind, { errors: { '': 'must have required property options', count: 'must be >= 1', 'options.depth': 'must be integer' } });
    const count = screen.getByRole('spinbutton', { name: 'count' });
    expect(count.getAttribute('aria-invalid')).toBe('true');
    expect(within(fieldOf(count)).getByText('must be >= 1')).toBeTruthy();
    const depth = screen.getByRole('spinbutton', { name: 'depth' });
    expect(within(fieldOf(depth)).getByText('must be integer')).toBeTruthy();
    // Fields without an error are not marked.
    const message = screen.getByRole('textbox', { name: 'message' });
    expect(message.getAttribute('aria-invalid')).toBeNull();
    expect(within(fieldOf(message)).queryByText(/must/)).toBeNull();
    // The root error is announced above the form.
    expect(screen.getByRole('alert').textContent).toBe('must have required property options');
  });

  it('gives unions it cannot model a JSON box that round-trips values and flags text that is not JSON yet', () => {
    const schema: Schema = { type: 'object', properties: { either: { anyOf: [{ type: 'string' }, { type: 'number' }] } } };
    const form = renderForm(schema, { initial: { either: { keep: [1, 'two'] } } });
    const box = screen.getByRole('textbox', { name: 'either' }) as HTMLTextAreaElement;
    expect(JSON.parse(box.value)).toEqual({ keep: [1, 'two'] });
    fireEvent.change(box, { target: { value: '{"a": [1, null]}' } });
    expect(form.value()).toEqual({ either: { a: [1, null] } });
    fireEvent.change(box, { target: { value: '{"a": ' } });
    expect(screen.getByText('Not valid JSON yet.')).toBeTruthy();
    // The last good value is kept while the text is broken.
    expect(form.value()).toEqual({ either: { a: [1, null] } });
    fireEvent.change(box, { target: { value: '42' } });
    expect(screen.queryByText('Not valid JSON yet.')).toBeNull();
    expect(form.value()).toEqual({ either: 42 });
  });

  it('lets a nullable field be set to null, which disables its input', () => {
    const schema: Schema = { type: 'object', properties: { note: { type: ['string', 'null'] } } };
    const form = renderForm(schema);
    fireEvent.click(screen.getByRole('checkbox', { name: 'note is null' }));
    expect(form.value()).toEqual({ note: null });
    expect((screen.getByRole('textbox', { name: 'note' }) as HTMLInputElement).disabled).toBe(true);
  });

  it('says there is nothing to fill for an object without properties, even one that allows any keys', () => {
    renderForm({ type: 'object' });
    expect(screen.getByText('No arguments.')).toBeTruthy();
    expect(screen.queryByRole('textbox')).toBeNull();
  });

  it('shows a single Value field for a schema that is not an object', () => {
    const form = renderForm({ type: 'string', description: 'Free text' }, { initial: '' });
    fireEvent.change(screen.getByRole('textbox', { name: 'Value', description: 'Free text' }), { target: { value: 'x' } });
    expect(form.value()).toBe('x');
  });

  it('treats additionalProperties as no extra fields: only declared properties are rendered', () => {
    renderForm({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'number' } });
    expect(screen.getAllByRole('textbox').map((e) => (e as HTMLInputElement).labels?.[0]?.textContent)).toEqual(['a']);
  });

  it('never hands a server pattern to the browser: a catastrophic ^(a+)+$ with a long input stays prompt and the core gives the verdict', () => {
    const schema: Schema = { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } }, required: ['s'] };
    const form = renderForm(schema);
    const input = screen.getByRole('textbox', { name: 's' }) as HTMLInputElement;
    // A `pattern` attribute would run the server's regex on the backtracking engine on every validity check.
    expect(input.getAttribute('pattern')).toBeNull();
    const hostile = `${'a'.repeat(5000)}!`;
    const started = performance.now();
    fireEvent.change(input, { target: { value: hostile } });
    expect(input.checkValidity()).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(form.value()).toEqual({ s: hostile });
  });

  it('reads a 2020-12 schema with $refs in place: local ones become fields, another document becomes a JSON input with a note, nothing is rewritten', () => {
    const schema: Schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      $defs: { userId: { type: 'string', description: 'Lowercase id', pattern: '^[a-z0-9-]+$' } },
      properties: { id: { $ref: '#/$defs/userId' }, profile: { $ref: 'https://schemas.example/profile.json' }, missing: { $ref: '#/$defs/nope' } },
      required: ['id'],
      additionalProperties: false,
    };
    const sent = structuredClone(schema);
    const form = renderForm(schema);
    fireEvent.change(screen.getByRole('textbox', { name: 'id', description: 'Lowercase id' }), { target: { value: 'ada' } });
    const profile = screen.getByRole('textbox', { name: 'profile' });
    expect(fieldOf(profile).textContent).toContain(
      'refers to https://schemas.example/profile.json, which Switchboard does not fetch. Enter the value as JSON.',
    );
    expect(profile.getAttribute('aria-describedby')).toBeTruthy();
    expect(fieldOf(screen.getByRole('textbox', { name: 'missing' })).textContent).toContain('refers to #/$defs/nope');
    fireEvent.change(profile, { target: { value: '{"displayName": "Ada"}' } });
    expect(form.value()).toEqual({ id: 'ada', profile: { displayName: 'Ada' } });
    expect(schema).toEqual(sent);
  });
});
