import type { settingsMethods } from '../../../shared/contract';
import type { FeatureHandlers } from '../ipc/dispatch';
import type { KeyValueStore } from '../ports';
import { writePreferences } from './settings';

export interface SettingsHandlersDeps {
  store: KeyValueStore;
}

export function settingsHandlers({ store }: SettingsHandlersDeps): FeatureHandlers<typeof settingsMethods> {
  return {
    setSecretStoragePreference: async ({ allowInsecureSecretStorage }) => ({
      allowInsecureSecretStorage: Boolean(writePreferences(store, { allowInsecureSecretStorage }).allowInsecureSecretStorage),
    }),
  };
}
