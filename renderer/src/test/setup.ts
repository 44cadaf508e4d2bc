import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { fakeApi } from './fake-api';

// Runs before each component test file's imports: renderer/src/api.ts builds its
// client from `window.switchboard` when it loads, so the fake must be there first.
window.switchboard = fakeApi.bridge;

afterEach(() => {
  // Vitest has no globals here, so Testing Library cannot register its own cleanup.
  cleanup();
  fakeApi.reset();
});
