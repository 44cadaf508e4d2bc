import { describe, expect, it } from 'vitest';
import { IdleDrain } from './idle-drain';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('IdleDrain', () => {
  it('waits while calls are in flight, then runs once they are done', async () => {
    let busy = true;
    const queue = [1, 2, 3];
    let runs = 0;
    const drain = new IdleDrain({ drain: () => (runs++, queue.splice(0)), queued: () => queue.length, busy: () => busy, delayMs: 5, maxDelayMs: 10_000 });
    drain.schedule();
    await sleep(40);
    expect(runs).toBe(0);
    busy = false;
    await sleep(40);
    expect(runs).toBe(1);
    expect(queue).toEqual([]);
  });

  it('runs anyway after maxDelayMs or past maxQueued', async () => {
    const queue: number[] = [1];
    let runs = 0;
    const late = new IdleDrain({ drain: () => (runs++, queue.splice(0)), queued: () => queue.length, busy: () => true, delayMs: 5, maxDelayMs: 30 });
    late.schedule();
    await sleep(80);
    expect(runs).toBe(1);
    queue.push(...Array.from({ length: 10 }, (_, i) => i));
    const full = new IdleDrain({ drain: () => (runs++, queue.splice(0)), queued: () => queue.length, busy: () => true, delayMs: 1000, maxDelayMs: 10_000, maxQueued: 5 });
    full.schedule();
    await sleep(20);
    expect(runs).toBe(2);
  });

  it('flush runs now and cancels the timer', async () => {
    let runs = 0;
    const drain = new IdleDrain({ drain: () => runs++, queued: () => 1, busy: () => false, delayMs: 20 });
    drain.schedule();
    drain.flush();
    await sleep(50);
    expect(runs).toBe(1);
  });
});
