import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles a TypeScript entry into one ESM file that plain `node` runs: tests that
 * SIGKILL a process need the real code in a child that starts in milliseconds.
 */
export async function bundleForChild(entry: string): Promise<string> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'switchboard-child-')), 'child.mjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    // jsonc-parser's UMD main hides its requires from the bundler; its ESM build bundles cleanly.
    mainFields: ['module', 'main'],
    logLevel: 'error',
    // CommonJS dependencies inside an ESM bundle still call require() for builtins.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return outfile;
}
