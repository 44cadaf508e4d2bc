import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'util', 'stream', 'events'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', 'playwright-report/**', '*.cjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name='only'][callee.object.name=/^(it|test|describe)$/]", message: 'No focused tests.' }],
    },
  },
  {
    // The core runs in plain Node: tests, the e2e bridge and the conformance client load it without Electron.
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'electron/core must not import electron: take a port instead.' }, { name: 'electron-store', message: 'electron/core must not import electron-store: take the KeyValueStore port.' }], patterns: [{ group: ['electron/*', 'electron-store/*'], message: 'electron/core runs in plain Node.' }] }],
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
      'no-restricted-imports': ['error', { paths: ['electron', 'electron-store'], patterns: [...nodeBuiltins, '**/electron/**'] }],
    },
  },
);
