import { readdirSync } from 'node:fs';
import tseslint from 'typescript-eslint';

// One feature, one name, every layer: a feature reaches another only through its index.ts.
// The lists come from the folders, so a new feature is covered the day it lands.
const CORE_INFRASTRUCTURE = new Set(['ipc', 'net', 'batching', 'tls', 'node-ports']);
const foldersOf = (dir) =>
  readdirSync(new URL(dir, import.meta.url), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
const coreFeatures = foldersOf('./electron/core/').filter((name) => !CORE_INFRASTRUCTURE.has(name));
const rendererFeatures = foldersOf('./renderer/src/features/');
const throughIndex = (features, prefixes) => ({
  group: features.flatMap((f) => prefixes.map((prefix) => `${prefix}${f}/**`)),
  message: "Import another feature through its index.ts ('../<feature>'), not its files.",
});

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'util', 'stream', 'events'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', 'playwright-report/**', '*.cjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='only'][callee.object.name=/^(it|test|describe)$/]", message: 'No focused tests.' },
      ],
    },
  },
  {
    // The core runs in plain Node: tests, the e2e bridge and the conformance client load it without Electron.
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'electron/core must not import electron: take a port instead.' },
            { name: 'electron-store', message: 'electron/core must not import electron-store: take the KeyValueStore port.' },
          ],
          patterns: [{ group: ['electron/*', 'electron-store/*'], message: 'electron/core runs in plain Node.' }, throughIndex(coreFeatures, ['../', './'])],
        },
      ],
    },
  },
  {
    // The contract is shared by every process: no Node, DOM-only or Electron APIs.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron', 'electron-store'], patterns: nodeBuiltins }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'electron-store'],
          patterns: [
            { group: [...nodeBuiltins, '**/electron/**'], message: 'The renderer runs in a sandboxed page: no Node, Electron or main-process code.' },
            throughIndex(rendererFeatures, ['../', './features/']),
          ],
        },
      ],
    },
  },
);
