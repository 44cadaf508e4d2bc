import { describe, expect, it } from 'vitest';
import { assignPrefixes, combinedNames, MAX_NAME_LENGTH, NAME_CHARSET, prefixBase, prefixOfCombined } from './gateway-names';

// Names on the combined endpoint: readable, within the MCP tool-name rules, and
// never two servers behind one name, whatever the servers call themselves or their tools.

describe('combined endpoint names', () => {
  it('derives a short readable prefix from the server name, in [a-z0-9-] only', () => {
    expect(prefixBase('GitHub')).toBe('github');
    expect(prefixBase('Alpha Files')).toBe('alpha-files');
    expect(prefixBase('Café Ünïcode')).toBe('cafe-unicode');
    expect(prefixBase('other__tool')).toBe('other-tool');
    expect(prefixBase('  ___  ')).toBe('server');
    expect(prefixBase('日本語')).toBe('server');
    expect(prefixBase('a'.repeat(200))).toHaveLength(24);
    expect(prefixBase('abcdefghijklmnopqrstuvw yz')).toBe('abcdefghijklmnopqrstuvw');
  });

  it('gives clashing servers a suffix from their id, independent of order, and keeps the others bare', () => {
    const servers = [
      { id: 'id-1', name: 'Docs' },
      { id: 'id-2', name: 'docs!' },
      { id: 'id-3', name: 'Beta' },
    ];
    const a = assignPrefixes(servers);
    const b = assignPrefixes([...servers].reverse());
    expect([...a].sort()).toEqual([...b].sort());
    expect(a.get('id-3')).toBe('beta');
    expect(a.get('id-1')).toMatch(/^docs-[0-9a-f]{4}$/);
    expect(a.get('id-2')).toMatch(/^docs-[0-9a-f]{4}$/);
    expect(a.get('id-1')).not.toBe(a.get('id-2'));
    // A server named like another's suffixed prefix does not take it over.
    const sneaky = assignPrefixes([...servers, { id: 'id-4', name: a.get('id-1')! }]);
    expect(new Set(sneaky.values()).size).toBe(4);
    expect(sneaky.get('id-1')).not.toBe(sneaky.get('id-4'));
  });

  it('keeps names within the charset and 128 characters; rewrites others with a hash of the original', () => {
    const map = combinedNames('gh', ['create_issue', 'has space', 'dots.ok', 'x'.repeat(200), 'é']);
    for (const full of map.keys()) {
      expect(full).toMatch(NAME_CHARSET);
      expect(full.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
      expect(prefixOfCombined(full)).toBe('gh');
    }
    expect(map.get('gh__create_issue')).toBe('create_issue');
    expect(map.get('gh__dots.ok')).toBe('dots.ok');
    expect([...map.values()].sort()).toEqual(['create_issue', 'dots.ok', 'has space', 'x'.repeat(200), 'é'].sort());
    // The same input always gives the same names.
    expect([...combinedNames('gh', ['é', 'has space'])]).toEqual([...combinedNames('gh', ['has space', 'é'])]);
  });

  it('a name kept as it is wins over a rewritten one that would take the same name', () => {
    const rewritten = [...combinedNames('s', ['a b'])][0]![0].slice('s__'.length);
    const map = combinedNames('s', ['a b', rewritten]);
    expect(map.get(`s__${rewritten}`)).toBe(rewritten);
    expect([...map.values()]).not.toContain('a b');
  });

  it('no two servers ever share a combined name, whatever their names and tool names (adversarial sample)', () => {
    const alphabet = ['a', 'b', '_', '__', '-', ' ', 'A'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const word = () => Array.from({ length: 1 + (next() % 5) }, () => alphabet[next() % alphabet.length]).join('');
    for (let round = 0; round < 200; round++) {
      const servers = Array.from({ length: 2 + (next() % 4) }, (_, i) => ({ id: `srv-${round}-${i}`, name: word(), tools: Array.from({ length: 4 }, word) }));
      const prefixes = assignPrefixes(servers);
      expect(new Set(prefixes.values()).size).toBe(servers.length);
      const owner = new Map<string, string>();
      for (const s of servers)
        for (const full of combinedNames(prefixes.get(s.id)!, s.tools).keys()) {
          expect(owner.has(full), `${full} claimed twice`).toBe(false);
          owner.set(full, s.id);
          // The prefix read back from the name is the owner's.
          expect(prefixOfCombined(full)).toBe(prefixes.get(s.id));
        }
    }
  });
});
