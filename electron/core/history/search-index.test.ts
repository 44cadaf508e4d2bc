import { describe, expect, it } from 'vitest';
import { SearchIndex } from './search-index';

describe('SearchIndex', () => {
  const texts = Array.from({ length: 3_000 }, (_, i) => `rec${i} ${i % 7 === 0 ? 'seven' : 'other'} end${i % 10}`);
  const brute = (needle: string, from = 0): number[] => texts.flatMap((t, i) => (i >= from && t.includes(needle) ? [i] : []));

  it('finds the same records as a per-record scan, across sealed and open chunks', () => {
    const index = new SearchIndex();
    texts.forEach((t) => index.add(t));
    for (const needle of ['seven', 'rec1', 'rec2999', 'end9', 'rec0 ', 'rec1023 other', 'nothing', 'end3rec']) {
      expect(index.search(needle), needle).toEqual(brute(needle));
    }
  });

  it('reports a record once even with several hits in it', () => {
    const index = new SearchIndex();
    index.add('aa aa aa');
    for (let i = 0; i < 1_100; i++) index.add(i === 1_050 ? 'aa x aa' : 'b');
    expect(index.search('aa')).toEqual([0, 1_051]);
  });

  it('forgets dropped records, including inside a partly dropped chunk', () => {
    const index = new SearchIndex();
    texts.forEach((t) => index.add(t));
    index.dropBefore(1_500);
    expect(index.search('seven')).toEqual(brute('seven', 1_500));
    index.dropBefore(2_990);
    expect(index.search('rec')).toEqual(brute('rec', 2_990));
    expect(index.nextOrdinal).toBe(3_000);
    index.add('seven again');
    expect(index.search('seven again')).toEqual([3_000]);
    index.clear();
    expect(index.search('rec')).toEqual([]);
    expect(index.add('x')).toBe(0);
  });

  it('never matches across record boundaries', () => {
    const index = new SearchIndex();
    for (let i = 0; i < 2_000; i++) index.add(i % 2 ? 'left' : 'right');
    expect(index.search('leftright')).toEqual([]);
    expect(index.search('left\u0000right')).toEqual([]);
  });
});
