import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as contract from '../../shared/contract';

// One feature, one name in every layer: shared/contract/<f>.ts, electron/core/<f>/,
// renderer/src/features/<f>/. These checks keep the layers' lists from drifting apart.

const ROOT = resolve(import.meta.dirname, '../..');
const CONTRACT_INFRASTRUCTURE = new Set(['define', 'errors', 'ipc-error', 'index', 'json']);
const CORE_INFRASTRUCTURE = new Set(['ipc', 'net', 'batching', 'tls', 'node-ports']);

const folders = (dir: string) =>
  readdirSync(join(ROOT, dir), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
const camel = (feature: string) => feature.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

const contractFeatures = readdirSync(join(ROOT, 'shared/contract'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((f) => !CONTRACT_INFRASTRUCTURE.has(f))
  .sort();
const coreFeatures = folders('electron/core').filter((f) => !CORE_INFRASTRUCTURE.has(f));
const rendererFeatures = folders('renderer/src/features');

describe('one feature, one name, every layer', () => {
  it('every contract feature has a core feature of the same name whose handlers.ts serves it', () => {
    for (const feature of contractFeatures) {
      const handlers = join(ROOT, 'electron/core', feature, 'handlers.ts');
      expect(existsSync(handlers), `electron/core/${feature}/handlers.ts`).toBe(true);
      const source = readFileSync(handlers, 'utf8');
      expect(source, `${feature}Handlers serves ${camel(feature)}Methods`).toMatch(
        new RegExp(`export function ${camel(feature)}Handlers\\b[^]*FeatureHandlers<typeof ${camel(feature)}Methods>`),
      );
    }
  });

  it("every contract feature's method and event maps carry the feature's name, and together they are the contract", () => {
    const exported = contract as unknown as Record<string, Record<string, unknown> | undefined>;
    const methods: string[] = [];
    const events: string[] = [];
    for (const feature of contractFeatures) {
      const map = exported[`${camel(feature)}Methods`];
      expect(map, `${camel(feature)}Methods in shared/contract/${feature}.ts`).toBeDefined();
      methods.push(...Object.keys(map!));
      events.push(...Object.keys(exported[`${camel(feature)}Events`] ?? {}));
    }
    expect(methods.sort()).toEqual(Object.keys(contract.methods).sort());
    expect(events.sort()).toEqual(Object.keys(contract.events).sort());
  });

  it('every core feature has an index.ts (its public surface)', () => {
    for (const feature of coreFeatures) expect(existsSync(join(ROOT, 'electron/core', feature, 'index.ts')), `electron/core/${feature}/index.ts`).toBe(true);
  });

  it('every renderer feature has the name of a core feature, and an index.ts', () => {
    for (const feature of rendererFeatures) {
      expect(coreFeatures, `renderer/src/features/${feature} has no electron/core/${feature}`).toContain(feature);
      expect(existsSync(join(ROOT, 'renderer/src/features', feature, 'index.ts')), `renderer/src/features/${feature}/index.ts`).toBe(true);
    }
  });

  it('a cross-feature import that skips the index fails lint, in the core and in the renderer', async () => {
    const { ESLint } = await import('eslint');
    const eslint = new ESLint({ cwd: ROOT });
    const lint = async (code: string, filePath: string) => (await eslint.lintText(code, { filePath }))[0]!.messages.map((m) => m.ruleId);
    expect(await lint("import { ServerRepo } from '../servers/server-repo';\nexport const x = ServerRepo;\n", 'electron/core/auth/x.ts')).toContain(
      'no-restricted-imports',
    );
    expect(await lint("import { ServerRepo } from '../servers';\nexport const x = ServerRepo;\n", 'electron/core/auth/x.ts')).not.toContain(
      'no-restricted-imports',
    );
    expect(await lint("import { useServers } from '../servers/store';\nexport const x = useServers;\n", 'renderer/src/features/tools/x.ts')).toContain(
      'no-restricted-imports',
    );
    expect(await lint("import { useServers } from '../servers';\nexport const x = useServers;\n", 'renderer/src/features/tools/x.ts')).not.toContain(
      'no-restricted-imports',
    );
  });
});
