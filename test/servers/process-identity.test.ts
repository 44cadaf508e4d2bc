import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processIdentity } from '../../electron/core/servers/process-identity';

// Against a real child process; the /proc parsing is unit-tested beside the code.
describe('process identity', () => {
  it('gives a live process a stable identity and an exited one none', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], { stdio: 'ignore' });
    await new Promise((r) => child.once('spawn', r));
    const first = await processIdentity(child.pid!);
    expect(first).toBeTruthy();
    expect(await processIdentity(child.pid!)).toBe(first);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    expect(await processIdentity(child.pid!)).toBeUndefined();
    expect(await processIdentity(0)).toBeUndefined();
    expect(await processIdentity(-5)).toBeUndefined();
  });
});
