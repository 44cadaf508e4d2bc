import { z } from 'zod';
import { method } from './define';

// User preferences kept in the settings file.

export const settingsMethods = {
  /** Opt-in to persisting secrets although the OS offers no secure storage (Linux basic_text). Launch approvals never follow it. */
  setSecretStoragePreference: method(z.object({ allowInsecureSecretStorage: z.boolean() }), z.object({ allowInsecureSecretStorage: z.boolean() })),
};
