import { afterEach } from 'vitest';

/**
 * Closes what a test started, newest first, after each test. Returns `track`,
 * which passes its argument through: `rs = track(await startProtectedMcpServer(...))`.
 */
export function useCleanup(): <T extends { close(): Promise<unknown> }>(thing: T) => T {
  const started: { close(): Promise<unknown> }[] = [];
  afterEach(async () => {
    for (const thing of started.splice(0).reverse()) await thing.close();
  });
  return (thing) => {
    started.push(thing);
    return thing;
  };
}
