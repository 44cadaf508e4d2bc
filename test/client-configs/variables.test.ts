import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup';
import { expand, readEnvFile } from '../../electron/core/client-configs';

const env = { TOKEN: 'abc', EMPTY: '' };

describe('variables', () => {
  it('Claude Code: ${VAR} and ${VAR:-default}; an unset variable without default is reported', () => {
    expect(expand('Bearer ${TOKEN}', 'claude-code', { env })).toEqual({ value: 'Bearer abc', unresolved: [], inputIds: [] });
    expect(expand('${DIR:-/tmp}/x', 'claude-code', { env }).value).toBe('/tmp/x');
    expect(expand('${EMPTY:-fallback}', 'claude-code', { env }).value).toBe('fallback');
    expect(expand('${TOKEN:-fallback}', 'claude-code', { env }).value).toBe('abc');
    expect(expand('${NOPE}', 'claude-code', { env })).toEqual({ value: '${NOPE}', unresolved: ['${NOPE}'], inputIds: [] });
    // Cursor's form is not Claude Code's.
    expect(expand('${env:TOKEN}', 'claude-code', { env }).unresolved).toEqual(['${env:TOKEN}']);
  });

  it('Cursor: ${env:NAME}, ${userHome}, ${workspaceFolder}; no workspace means unresolved, not empty', () => {
    const ctx = { env, userHome: '/home/ada', workspaceFolder: '/w' };
    expect(expand('${userHome}/bin ${workspaceFolder}/n ${env:TOKEN}', 'cursor', ctx).value).toBe('/home/ada/bin /w/n abc');
    expect(expand('${workspaceFolder}/notes', 'cursor', { env }).unresolved).toEqual(['${workspaceFolder}']);
    expect(expand('${TOKEN}', 'cursor', ctx).unresolved).toEqual(['${TOKEN}']);
  });

  it('VS Code: ${input:id} from the answers, reported as asked-for either way', () => {
    expect(expand('Bearer ${input:gh}', 'vscode', { env, inputs: { gh: 'xyz' } })).toEqual({ value: 'Bearer xyz', unresolved: [], inputIds: ['gh'] });
    expect(expand('${input:gh}', 'vscode', { env })).toEqual({ value: '${input:gh}', unresolved: ['${input:gh}'], inputIds: ['gh'] });
    expect(expand('${input:gh}', 'cursor', { env, inputs: { gh: 'xyz' } }).unresolved).toEqual(['${input:gh}']);
  });

  it('an expanded value is not expanded again, and nothing else is evaluated', () => {
    const ctx = { env: { A: '${B}', B: 'secret' } };
    expect(expand('${A}', 'claude-code', ctx).value).toBe('${B}');
    expect(expand('${command:workbench.action.terminal.new}', 'vscode', ctx).unresolved).toEqual(['${command:workbench.action.terminal.new}']);
    expect(expand('${config:editor.fontSize}', 'vscode', ctx).unresolved).toHaveLength(1);
    expect(expand('${constructor}', 'claude-code', { env: {} }).unresolved).toEqual(['${constructor}']);
    expect(expand('${__proto__:-x}', 'claude-code', { env: {} }).value).toBe('x');
  });

  it('Claude Desktop and Windsurf files expand nothing', () => {
    expect(expand('${TOKEN}', 'none', { env })).toEqual({ value: '${TOKEN}', unresolved: [], inputIds: [] });
  });
});

describe('envFile', () => {
  const track = useCleanup();

  it('reads NAME=value lines, strips quotes and export, lists the lines it skips', () => {
    const { vars, problems } = readEnvFile(resolve(import.meta.dirname, '../fixtures/client-configs/vscode/.env'));
    expect(vars).toEqual([
      { name: 'PERPLEXITY_MODEL', value: 'sonar' },
      { name: 'PERPLEXITY_REGION', value: 'eu west' },
    ]);
    expect(problems).toEqual([expect.objectContaining({ severity: 'warning', line: 4 })]);
  });

  it('a missing or oversized envFile is a problem, not a crash', () => {
    const dir = track.tempDir('envfile-');
    expect(readEnvFile(join(dir, 'nope')).problems[0]!.reason).toMatch(/ENOENT/);
    writeFileSync(join(dir, 'big'), 'A=' + 'x'.repeat(300 * 1024));
    const big = readEnvFile(join(dir, 'big'));
    expect(big.vars).toEqual([]);
    expect(big.problems[0]!.reason).toMatch(/larger than/);
  });
});
