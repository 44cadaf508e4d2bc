import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests spawn real processes and servers; two cores, so keep it modest.
    maxWorkers: 2,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'test/**/*.test.ts', 'renderer/**/*.test.ts'], environment: 'node' },
      },
      {
        // Renderer components against a fake `window.switchboard` (installed by the setup file before any component loads).
        extends: true,
        plugins: [react()],
        test: { name: 'renderer', include: ['renderer/**/*.test.tsx'], environment: 'happy-dom', setupFiles: ['renderer/src/test/setup.ts'] },
      },
    ],
  },
});
