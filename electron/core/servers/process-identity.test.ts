import { describe, expect, it } from 'vitest';
import { parseProcStat } from './process-identity';

describe('process identity', () => {
  it('reads /proc stat fields after a command name that holds spaces and parentheses', () => {
    const line = '4242 (evil) 1 2 3 (x) S 17 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 100 18446744073709551615';
    expect(parseProcStat(4242, line)).toEqual({ pid: 4242, state: 'S', ppid: 17, pgrp: 4242, session: 4242, start: '987654' });
    expect(parseProcStat(1, 'garbage')).toBeUndefined();
  });
});
