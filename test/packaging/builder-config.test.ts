import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// Runs electron-builder 26.17 for every installer target as far as it goes here:
// configuration and package.json metadata validation, target creation, icons, and
// each target's own option checks (the deb's homepage and maintainer, the NSIS
// defines, the AppImage desktop entry, the dmg settings), stopping where the
// Electron binary or a platform-only tool would be needed. Offline.
//
// How: `prepackaged` points at an empty app folder, so no Electron is unpacked or
// fused; `effectiveOptionComputed` (electron-builder's own test hook) receives each
// target's computed options right before fpm/appimagetool/makensis would run, and
// returning true stops there. Helpers electron-builder downloads from GitHub are
// replaced by stand-ins, through the environment variables it reads:
//   ELECTRON_BUILDER_ICONS_TOOLSET_DIR  png -> ico/icns conversion
//   ELECTRON_BUILDER_7ZIP_PATH          packs the app for NSIS
//   ELECTRON_BUILDER_NSIS_DIR           the NSIS bundle (only elevate.exe is looked up before the hook)
//   CUSTOM_DMGBUILD_PATH                builds the dmg; the stand-in records its settings and stops the build
//   sips (on PATH)                      reads the dmg background size on macOS

const root = join(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const { Packager, Platform, Arch } = require('app-builder-lib') as typeof import('app-builder-lib');
type PlatformT = import('app-builder-lib').Platform;

const DMGBUILD_MARKER = 'dmgbuild stand-in reached';
let work: string;
const savedEnv = { ...process.env };

function script(path: string, body: string): void {
  writeFileSync(path, `#!/usr/bin/env node\n${body}\n`);
  chmodSync(path, 0o755);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'sb-builder-'));
  const icons = join(work, 'icons');
  const bin = join(work, 'bin');
  mkdirSync(icons);
  mkdirSync(bin);
  // ICO header with one 256x256 entry is all electron-builder reads back.
  script(
    join(icons, 'icon-tool.js'),
    `const fs = require('fs'), path = require('path');
const arg = (n) => (process.argv.find((a) => a.startsWith('--' + n + '=')) || '').slice(n.length + 3);
const out = arg('out');
if (arg('format') === 'ico') { const b = Buffer.alloc(22); b.writeUInt16LE(1, 2); b.writeUInt16LE(1, 4); fs.writeFileSync(path.join(out, 'icon.ico'), b); }
else if (arg('format') === 'icns') fs.writeFileSync(path.join(out, 'icon.icns'), 'icns');
else fs.copyFileSync(arg('input'), path.join(out, '512x512.png'));`,
  );
  script(join(bin, '7za'), `const f = process.argv.find((a) => a.endsWith('.7z')); if (f) require('fs').writeFileSync(f, '');`);
  script(join(bin, 'sips'), `console.log('  pixelHeight: 380\\n  pixelWidth: 540');`);
  script(
    join(bin, 'dmgbuild'),
    `const i = process.argv.indexOf('-s'); require('fs').copyFileSync(process.argv[i + 1], ${JSON.stringify(join(work, 'dmg-settings.json'))});
console.error(${JSON.stringify(DMGBUILD_MARKER)}); process.exit(3);`,
  );
  process.env.ELECTRON_BUILDER_ICONS_TOOLSET_DIR = icons;
  process.env.ELECTRON_BUILDER_7ZIP_PATH = join(bin, '7za');
  const nsis = join(work, 'nsis');
  mkdirSync(nsis);
  writeFileSync(join(nsis, 'elevate.exe'), '');
  process.env.ELECTRON_BUILDER_NSIS_DIR = nsis;
  process.env.CUSTOM_DMGBUILD_PATH = join(bin, 'dmgbuild');
  process.env.PATH = `${bin}${delimiter}${process.env.PATH}`;
  return () => {
    process.env = savedEnv;
    rmSync(work, { recursive: true, force: true });
  };
});

/** Builds the given targets from a stand-in app folder; returns what each target computed. */
async function buildUpToTools(platform: PlatformT, targets: string[]): Promise<unknown[]> {
  const name = `${platform.name}-${targets.join('-')}`;
  const prepackaged = join(work, name, 'app');
  mkdirSync(join(prepackaged, 'resources'), { recursive: true });
  mkdirSync(join(prepackaged, 'Switchboard.app', 'Contents', 'Resources'), { recursive: true });
  const computed: unknown[] = [];
  const packager = new Packager({
    projectDir: root,
    config: { extends: join(root, 'electron-builder.config.cjs'), directories: { output: join(work, name, 'dist') } },
    targets: platform.createTarget(targets, Arch.x64),
    prepackaged,
    effectiveOptionComputed: async (options: unknown) => {
      // fpm gets [args, desktop file]; the file is temporary, so keep its text.
      const pair = Array.isArray(options) ? (options as unknown[]) : undefined;
      const file = typeof pair?.[1] === 'string' ? pair[1] : undefined;
      computed.push(file && existsSync(file) ? [pair![0], readFileSync(file, 'utf8')] : options);
      return true; // stop before the external tool
    },
  });
  await packager.build();
  return computed;
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { homepage?: string };

describe('electron-builder configuration, every target (offline, no Electron binary)', () => {
  it('linux: AppImage and deb pass their checks (the deb needs a homepage and a maintainer)', async () => {
    const [appImage, deb] = (await buildUpToTools(Platform.LINUX, ['AppImage', 'deb'])) as [{ desktop: string }, [string[], string]];
    expect(pkg.homepage).toMatch(/^https:\/\//);
    const args = deb[0];
    expect(args[args.indexOf('--url') + 1]).toBe(pkg.homepage);
    expect(args[args.indexOf('--maintainer') + 1]).toMatch(/<[^>]+@[^>]+>/);
    expect(deb[1]).toMatch(/^Exec=\/opt\/Switchboard\/switchboard %U$/m);
    // The embedded desktop entry must not switch the Chromium sandbox off on every host.
    expect(appImage.desktop).toMatch(/^Exec=AppRun %U$/m);
    expect(appImage.desktop).not.toContain('--no-sandbox');
    // switchboard:// install links open the app (electron/main/install-links.ts).
    expect(appImage.desktop).toMatch(/^MimeType=.*x-scheme-handler\/switchboard;/m);
    expect(deb[1]).toMatch(/^MimeType=.*x-scheme-handler\/switchboard;/m);
    // The update feed is fixed at build time in app-update.yml (never a setting): the generic provider, https.
    const updateConfig = readFileSync(join(work, 'linux-AppImage-deb', 'app', 'resources', 'app-update.yml'), 'utf8');
    expect(updateConfig).toMatch(/^provider: generic$/m);
    expect(updateConfig).toMatch(/^url: https:\/\/updates\.switchboard\.invalid\/?$/m);
    expect(updateConfig).toMatch(/^updaterCacheDirName: switchboard-updater$/m);
  }, 60_000);

  it('windows: the NSIS installer options are computed', async () => {
    const [nsis] = (await buildUpToTools(Platform.WINDOWS, ['nsis'])) as [[Record<string, unknown>, Record<string, unknown>]];
    const [defines] = nsis;
    expect(defines.PRODUCT_NAME).toBe('Switchboard');
    expect(defines.APP_ID).toBe('dev.switchboard.desktop');
    expect(defines.UNINSTALL_URL_HELP).toBe(pkg.homepage);
  }, 60_000);

  it.skipIf(process.platform === 'win32')(
    'mac: the dmg options are computed up to the point where dmgbuild (macOS only) runs',
    async () => {
      await expect(buildUpToTools(Platform.MAC, ['dmg'])).rejects.toThrow(DMGBUILD_MARKER);
      const settings = JSON.parse(readFileSync(join(work, 'dmg-settings.json'), 'utf8')) as { title?: string; contents?: { type: string; path?: string }[] };
      expect(settings.contents?.some((c) => c.type === 'link' && c.path === '/Applications')).toBe(true);
    },
    60_000,
  );
});
