import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    // Test hooks (stand-in browser windows, a scripted folder picker) exist only in unpackaged runs and the e2e build.
    define: { __SWITCHBOARD_E2E_BUILD__: JSON.stringify(process.env.SWITCHBOARD_E2E_BUILD === '1') },
    build: {
      outDir: 'out/main',
      lib: { entry: resolve(import.meta.dirname, 'electron/main/index.ts') },
      // electron-store and openid-client are ESM-only; bundling them keeps the main bundle self-contained.
      externalizeDeps: { exclude: ['electron-store', 'conf', 'openid-client'] },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      lib: { entry: resolve(import.meta.dirname, 'electron/preload/index.ts') },
      externalizeDeps: false,
      // Sandboxed preloads must be CommonJS.
      rolldownOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      rolldownOptions: { input: resolve(import.meta.dirname, 'renderer/index.html') },
      reportCompressedSize: false,
    },
  },
});
