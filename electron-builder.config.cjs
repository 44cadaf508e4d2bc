// electron-builder configuration. `npm run dist` builds installers for the
// current OS; `npm run dist:e2e` builds an unpacked app that keeps the inspect
// fuse on, because Playwright's _electron needs --inspect to attach.
const e2e = process.env.SWITCHBOARD_E2E_BUILD === '1';

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'dev.switchboard.desktop',
  productName: 'Switchboard',
  executableName: 'switchboard',
  copyright: 'Copyright © 2026 Switchboard contributors',
  directories: { output: e2e ? 'dist/e2e' : 'dist', buildResources: 'resources' },
  // resources/icon.png: the tray icon (electron/main/index.ts imports it with ?asset).
  files: ['out/**', 'package.json', 'resources/icon.png', '!**/*.map', '!out/**/*.test.*'],
  asar: true,
  // Auto-update (electron/main/updater.ts): electron-builder writes this feed into
  // the app's resources as app-update.yml, the only place electron-updater reads
  // it from; it is not a setting, so nothing that edits the settings file can
  // move it. Placeholder host (.invalid never resolves) until a release server
  // exists: set the real https URL here, then upload latest*.yml / beta*.yml and
  // the artifacts there. Stable builds also write the beta files, so beta users
  // get a stable release that is newer than their beta.
  publish: [{ provider: 'generic', url: 'https://updates.switchboard.invalid/' }],
  generateUpdatesFilesForAllChannels: true,
  // No native modules: nothing to rebuild against Electron headers.
  npmRebuild: false,
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: e2e,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  },
  // Install links (electron/main/install-links.ts). macOS reads this into Info.plist and
  // Linux into the desktop entry's MimeType; Windows registers at runtime
  // (app.setAsDefaultProtocolClient in a packaged build).
  protocols: [{ name: 'Switchboard install link', schemes: ['switchboard'] }],
  // The zip is what electron-updater's MacUpdater downloads; the dmg is for first installs.
  mac: { target: ['dmg', 'zip'], category: 'public.app-category.developer-tools', icon: 'resources/icon.png', hardenedRuntime: true },
  win: { target: ['nsis'], icon: 'resources/icon.png' },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
  linux: { target: ['AppImage', 'deb'], category: 'Development', icon: 'resources/icon.png', synopsis: 'Manage, authorize and inspect MCP servers' },
  // The AppImage's embedded .desktop entry would otherwise launch with --no-sandbox
  // everywhere. Its AppRun adds that flag by itself, only on hosts where
  // unprivileged user namespaces are unavailable (`unshare -Ur true` fails).
  appImage: { executableArgs: [] },
  deb: { maintainer: 'Switchboard contributors <switchboard@users.noreply.github.com>' },
};
