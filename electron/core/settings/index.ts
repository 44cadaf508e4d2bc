// The settings file: one schema per top-level key, migrations, opening it
// safely, and the private-file rules for everything under the data dir.
export {
  settingsKey,
  settingsSchema,
  StoredServer,
  StoredStdioServer,
  StoredHttpServer,
  Preferences,
  DesktopPreferences,
  UpdateSettings,
  type SettingsKey,
  type SettingsValue,
  type SettingsAccessor,
} from './schema';
export { migrateSettings, readPreferences, writePreferences, SETTINGS_VERSION, type MigrationResult } from './settings';
export { openStoreSafely, type OpenedStore } from './open-store';
export { fileCachedStore, type FileBackedStore } from './file-cached-store';
export { securePrivateDir, removeStaleTempFiles, withAtomicConfWrite, writeFileAtomic, PRIVATE_FILE_MODE, PRIVATE_DIR_MODE } from './private-files';
export { settingsHandlers, type SettingsHandlersDeps } from './handlers';
