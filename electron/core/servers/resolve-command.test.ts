import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveCommand } from './resolve-command';
import { resolveShellEnv, withFallbackPath } from './shell-env';
import { childEnv } from './child-env';

describe('resolveCommand', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-path-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'tool'), '#!/bin/sh\n');
  chmodSync(join(bin, 'tool'), 0o755);
  writeFileSync(join(bin, 'not-exec'), 'x');
  writeFileSync(join(bin, 'npx.cmd'), '@echo off\n');

  it('finds executables on the given PATH only', () => {
    expect(resolveCommand('tool', { PATH: bin })).toBe(join(bin, 'tool'));
    expect(resolveCommand('tool', { PATH: '/usr/bin' })).toBeNull();
    expect(resolveCommand('not-exec', { PATH: bin })).toBeNull();
  });

  it('resolves relative and absolute paths against cwd', () => {
    expect(resolveCommand('./bin/tool', { PATH: '' }, dir)).toBe(join(bin, 'tool'));
    expect(resolveCommand(join(bin, 'tool'), { PATH: '' })).toBe(join(bin, 'tool'));
  });

  it('finds Windows .cmd shims through PATHEXT', () => {
    expect(resolveCommand('npx', { PATH: bin, PATHEXT: '.EXE;.CMD' }, undefined, 'win32')).toBe(join(bin, 'npx.cmd'));
    expect(resolveCommand('npx', { PATH: bin }, undefined, 'linux')).toBeNull();
  });
});

describe('login shell environment', () => {
  it('reads PATH from a real login shell', async () => {
    const result = await resolveShellEnv({ ...process.env, SHELL: '/bin/bash' }, 5000);
    expect(result.source).toBe('login-shell');
    expect(result.env.PATH).toBeTruthy();
  });

  it('falls back with common bin dirs when the shell fails or hangs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-shell-'));
    const hang = join(dir, 'hang.sh');
    writeFileSync(hang, '#!/bin/sh\nsleep 30\n');
    chmodSync(hang, 0o755);
    const result = await resolveShellEnv({ PATH: '/usr/bin', HOME: '/home/u', SHELL: hang }, 500);
    expect(result.source).toBe('fallback');
    expect(result.error).toContain('did not answer');
    expect(result.env.PATH!.split(':')).toEqual(expect.arrayContaining(['/usr/bin', '/usr/local/bin', '/opt/homebrew/bin', '/home/u/.local/bin']));
    expect(
      withFallbackPath({ PATH: '/usr/local/bin' })
        .PATH!.split(':')
        .filter((p) => p === '/usr/local/bin'),
    ).toHaveLength(1);
  });
});

describe('child environment', () => {
  it('passes the safe list and the server env, not the rest of ours', () => {
    const env = childEnv({ PATH: '/bin', HOME: '/h', LANG: 'C.UTF-8', OTHER_APP_TOKEN: 'x', HTTPS_PROXY: 'http://p' }, { API_KEY: 'k' });
    expect(env).toMatchObject({ PATH: '/bin', HOME: '/h', LANG: 'C.UTF-8', HTTPS_PROXY: 'http://p', API_KEY: 'k' });
    expect(env.OTHER_APP_TOKEN).toBeUndefined();
  });
});
