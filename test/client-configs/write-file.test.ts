import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup';
import { backupFile, cursor, writeConfigFile } from '../../electron/core/client-configs';

const track = useCleanup();
const tempDir = () => track.tempDir('client-config-');
const posix = process.platform !== 'win32';

describe('writing a client’s file', () => {
  it('backs up the file beside it (timestamped, 0600) before replacing it, keeping the file’s own mode', () => {
    const dir = tempDir();
    const file = join(dir, 'mcp.json');
    const before = '{\n  "mcpServers": {}\n}\n';
    writeFileSync(file, before);
    chmodSync(file, 0o644);
    const { text } = cursor.write(before, [{ name: 'x', transport: 'stdio', command: 'npx', args: [], env: [] }]);
    const { backup } = writeConfigFile(file, text, { expected: before, now: new Date('2026-12-01T21:30:05.123Z') });
    expect(backup).toBe(`${file}.switchboard-backup-20261201T213005Z`);
    expect(readFileSync(backup!, 'utf8')).toBe(before);
    expect(readFileSync(file, 'utf8')).toBe(text);
    if (posix) {
      expect(statSync(backup!).mode & 0o777).toBe(0o600);
      expect(statSync(file).mode & 0o777).toBe(0o644);
    }
    // No temp file is left behind.
    expect(readdirSync(dir).sort()).toEqual(['mcp.json', 'mcp.json.switchboard-backup-20261201T213005Z']);
  });

  it('two writes in the same second keep both backups', () => {
    const dir = tempDir();
    const file = join(dir, 'mcp.json');
    writeFileSync(file, '{}');
    const now = new Date('2026-12-01T21:30:05Z');
    const first = backupFile(file, now);
    const second = backupFile(file, now);
    expect(second).not.toBe(first);
    expect(existsSync(first) && existsSync(second)).toBe(true);
  });

  it('a new file is created 0600 with no backup, its folder too if the client never made it', () => {
    const file = join(tempDir(), '.cursor', 'mcp.json');
    expect(writeConfigFile(file, '{}\n', { expected: undefined })).toEqual({});
    expect(readFileSync(file, 'utf8')).toBe('{}\n');
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses when the file changed since the preview (another program wrote it meanwhile)', () => {
    const file = join(tempDir(), 'mcp.json');
    writeFileSync(file, '{"mcpServers": {"theirs": {"command": "a"}}}');
    expect(() => writeConfigFile(file, '{}', { expected: '{}' })).toThrow(/changed since the preview/);
    expect(readFileSync(file, 'utf8')).toContain('theirs');
    expect(() => writeConfigFile(join(tempDir(), 'new.json'), '{}', { expected: '{"x":1}' })).toThrow(/changed since the preview/);
  });

  it('a symlinked config (dotfiles repo) is written through: the link stays a link', () => {
    if (!posix) return;
    const dir = tempDir();
    const real = join(dir, 'dotfiles-mcp.json');
    const link = join(dir, 'mcp.json');
    writeFileSync(real, '{}');
    symlinkSync(real, link);
    writeConfigFile(link, '{"mcpServers": {}}', { expected: '{}' });
    expect(readFileSync(real, 'utf8')).toBe('{"mcpServers": {}}');
    expect(readdirSync(dir).filter((n) => n.startsWith('dotfiles-mcp.json.switchboard-backup-'))).toHaveLength(1);
    expect(statSync(link).isFile()).toBe(true);
    expect(readdirSync(dir)).toContain('mcp.json');
  });

  it('the replace is atomic: a failed rename leaves the original intact and no temp file', () => {
    if (!posix || process.getuid?.() === 0) return;
    const dir = tempDir();
    const file = join(dir, 'mcp.json');
    writeFileSync(file, '{"keep": true}');
    chmodSync(dir, 0o500); // no new entries: the temp file cannot be created
    try {
      expect(() => writeConfigFile(file, '{}', { expected: '{"keep": true}' })).toThrow();
    } finally {
      chmodSync(dir, 0o700);
    }
    expect(readFileSync(file, 'utf8')).toBe('{"keep": true}');
    expect(readdirSync(dir)).toEqual(['mcp.json']);
  });

  it('the replace is atomic: a reader running meanwhile only ever sees a whole old or whole new file', async () => {
    const file = join(tempDir(), 'mcp.json');
    const versions = ['a', 'b'].map((c) => JSON.stringify({ mcpServers: {}, pad: c.repeat(2 * 1024 * 1024) }));
    writeFileSync(file, versions[0]!);
    // A separate process reads the file in a loop and reports anything that is neither version.
    const reader = spawn(
      process.execPath,
      [
        '-e',
        `const fs=require('fs');const ok=new Set(process.argv.slice(2).map(Number));let torn=0,reads=0;const end=Date.now()+1500;while(Date.now()<end){let t;try{t=fs.readFileSync(${JSON.stringify(file)},'utf8')}catch{continue}reads++;if(!ok.has(t.length)||!t.endsWith('"}'))torn++}console.log(JSON.stringify({torn,reads}))`,
        ...versions.map((v) => String(v.length)),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    reader.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const done = new Promise((r) => reader.on('exit', r));
    let current = versions[0]!;
    const until = Date.now() + 1200;
    for (let i = 1; Date.now() < until; i++) {
      const next = versions[i % 2]!;
      writeConfigFile(file, next, { expected: current });
      current = next;
      for (const name of readdirSync(join(file, '..'))) if (name.includes('switchboard-backup')) rmSync(join(file, '..', name));
      await new Promise((r) => setImmediate(r));
    }
    await done;
    const { torn, reads } = JSON.parse(out) as { torn: number; reads: number };
    expect(reads).toBeGreaterThan(10);
    expect(torn).toBe(0);
  });
});
