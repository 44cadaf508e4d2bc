import { describe, expect, it } from 'vitest';
import { Batcher, Throttle } from './batcher';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Batcher', () => {
  it('waits while calls are in flight, then drains once they are done', async () => {
    let busy = true;
    const batches: number[][] = [];
    const batcher = new Batcher<number>({ drain: (items) => batches.push(items), busy: () => busy, delayMs: 5, maxDelayMs: 10_000 });
    for (const n of [1, 2, 3]) batcher.push(n);
    await sleep(40);
    expect(batches).toEqual([]);
    busy = false;
    await sleep(40);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(batcher.size).toBe(0);
  });

  it('drains anyway after maxDelayMs or past maxQueued', async () => {
    let runs = 0;
    const late = new Batcher<number>({ drain: () => runs++, busy: () => true, delayMs: 5, maxDelayMs: 30 });
    late.push(1);
    await sleep(80);
    expect(runs).toBe(1);
    const full = new Batcher<number>({ drain: () => runs++, busy: () => true, delayMs: 5, maxDelayMs: 10_000, maxQueued: 5 });
    for (let i = 0; i < 10; i++) full.push(i);
    await sleep(20);
    expect(runs).toBe(2);
  });

  it('flush drains now and cancels the timer; an empty flush does nothing', async () => {
    let runs = 0;
    const batcher = new Batcher<number>({ drain: () => runs++, delayMs: 20 });
    batcher.flush();
    batcher.push(1);
    batcher.flush();
    await sleep(50);
    expect(runs).toBe(1);
  });
});

describe('Throttle', () => {
  it('fires once per window however often it is poked, and never after stop', async () => {
    let fires = 0;
    const throttle = new Throttle(() => fires++, 10);
    for (let i = 0; i < 100; i++) throttle.poke();
    await sleep(40);
    expect(fires).toBe(1);
    throttle.poke();
    throttle.stop();
    throttle.poke();
    await sleep(40);
    expect(fires).toBe(1);
  });
});
