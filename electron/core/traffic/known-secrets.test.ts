import { describe, expect, it } from 'vitest';
import { KnownSecrets, MIN_SECRET_LENGTH, scrubDeep } from './known-secrets';
import { REDACTED } from './redact';

const SECRET = 'hunter2-vault-value';

describe('KnownSecrets', () => {
  it('costs nothing for a server without secrets', () => {
    const known = new KnownSecrets();
    expect(known.scrubberFor('s1')).toBeUndefined();
    expect(known.scrubberForAll()).toBeUndefined();
    expect(known.scrubText('s1', `x ${SECRET}`)).toBe(`x ${SECRET}`);
  });

  it('replaces the raw value and its URL-, form-, JSON- and base64-encoded forms', () => {
    const known = new KnownSecrets();
    const value = 'p@ss word/"quoted"+more';
    known.add('s1', value);
    const scrub = known.scrubberFor('s1')!;
    const forms = [
      value,
      encodeURIComponent(value),
      encodeURIComponent(value).replace(/%20/g, '+'),
      JSON.stringify(value).slice(1, -1),
      ...['', 'a', 'ab'].map((prefix) => Buffer.from(`${prefix}${value}`).toString('base64')),
      Buffer.from(`user:${value}`).toString('base64url'),
    ];
    for (const form of forms) {
      const out = scrub(`before ${form} after`);
      expect(out, form).toContain(REDACTED);
      expect(out, form).not.toContain('ss word');
      expect(out, form).not.toContain(form);
    }
  });

  it('keeps servers apart, and the union covers all of them', () => {
    const known = new KnownSecrets();
    known.add('a', 'secret-of-a-123');
    known.add('b', 'secret-of-b-456');
    expect(known.scrubText('a', 'secret-of-b-456')).toBe('secret-of-b-456');
    expect(known.scrubText('a', 'secret-of-a-123')).toBe(REDACTED);
    expect(known.scrubberForAll()!('secret-of-a-123 secret-of-b-456')).toBe(`${REDACTED} ${REDACTED}`);
  });

  it(`ignores values shorter than ${MIN_SECRET_LENGTH} characters (they would rewrite ordinary text)`, () => {
    const known = new KnownSecrets();
    known.add('s1', 'abc12');
    known.add('s1', '');
    known.add('s1', undefined);
    expect(known.scrubberFor('s1')).toBeUndefined();
    known.add('s1', 'abc123');
    expect(known.scrubText('s1', 'x abc123 y')).toBe(`x ${REDACTED} y`);
  });

  it('bounds the values kept per server', () => {
    const known = new KnownSecrets();
    for (let i = 0; i < 100; i++) known.add('s1', `rotated-token-${i}`);
    const scrub = known.scrubberFor('s1')!;
    expect(scrub('rotated-token-99')).toBe(REDACTED);
    expect(scrub('rotated-token-0 ')).toBe('rotated-token-0 ');
  });

  it('scrubDeep copies only what changed', () => {
    const known = new KnownSecrets();
    known.add('s1', SECRET);
    const untouched = { a: [1, 'two', { three: 3 }] };
    const input = { untouched, hit: [{ text: `key ${SECRET}` }] };
    const out = scrubDeep(input, known.scrubberFor('s1')!);
    expect(out.untouched).toBe(untouched);
    expect(out.hit[0]!.text).toBe(`key ${REDACTED}`);
    expect(input.hit[0]!.text).toBe(`key ${SECRET}`);
  });
});
