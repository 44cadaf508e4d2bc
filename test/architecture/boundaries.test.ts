import { ESLint } from 'eslint';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layering rules are lint rules; this checks the rules themselves bite.
const eslint = new ESLint({ cwd: resolve(import.meta.dirname, '../..') });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('architecture boundaries', () => {
  it('electron/core may not import electron or electron-store', async () => {
    expect(await ruleIds("import { app } from 'electron';\nexport const x = app;\n", 'electron/core/servers/x.ts')).toContain('no-restricted-imports');
    expect(await ruleIds("import Store from 'electron-store';\nexport const x = Store;\n", 'electron/core/x.ts')).toContain('no-restricted-imports');
    expect(await ruleIds("import { spawn } from 'node:child_process';\nexport const x = spawn;\n", 'electron/core/x.ts')).not.toContain(
      'no-restricted-imports',
    );
  });

  it('shared/ may not import Node or Electron', async () => {
    expect(await ruleIds("import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'shared/contract/x.ts')).toContain(
      'no-restricted-imports',
    );
    expect(await ruleIds("import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n", 'shared/x.ts')).toContain('no-restricted-imports');
  });

  it('the renderer may not import Node, Electron or main-process code', async () => {
    expect(await ruleIds("import { readFileSync } from 'fs';\nexport const x = readFileSync;\n", 'renderer/src/x.ts')).toContain('no-restricted-imports');
    expect(await ruleIds("import { createCore } from '../../electron/core/app-core';\nexport const x = createCore;\n", 'renderer/src/x.ts')).toContain(
      'no-restricted-imports',
    );
  });

  it('the main process may import electron', async () => {
    expect(await ruleIds("import { app } from 'electron';\nexport const x = app;\n", 'electron/main/x.ts')).not.toContain('no-restricted-imports');
  });
});
