import { spawnSync } from 'node:child_process';
import { runStdioBench } from './stdio.bench';

// `npm run bench [filter]`: every figure is measured against a baseline in the
// same run. Each suite runs in its own Node process, so one suite's heap (the
// 100,000-record history, say) never shows up in another's memory figures.
// Not a test: nothing here fails the build; the README quotes the output.

type Suite = [string, () => Promise<Record<string, number>>];

async function loadSuites(): Promise<Suite[]> {
  const suites: Suite[] = [['stdio: Switchboard core vs bare SDK client (server-everything)', () => runStdioBench()]];
  for (const file of ['./history.bench.ts', './inspect.bench.ts', './scrub.bench.ts', './cpu.bench.ts', './gateway.bench.ts', './eras.bench.ts']) {
    const mod = (await import(file)) as Record<string, unknown>;
    for (const [key, fn] of Object.entries(mod))
      if (key.startsWith('run') && typeof fn === 'function') suites.push([`${file.replace('./', '').replace('.bench.ts', '')}: ${key}`, fn as Suite[1]]);
  }
  return suites;
}

function print(name: string, results: Record<string, number>): void {
  console.log(`\n## ${name}`);
  const width = Math.max(...Object.keys(results).map((k) => k.length));
  for (const [key, value] of Object.entries(results)) console.log(`${key.padEnd(width)}  ${value < 10 ? value.toFixed(3) : value.toFixed(1)}`);
}

const suites = await loadSuites();
const suiteArg = process.argv.indexOf('--suite');
if (suiteArg >= 0) {
  const suite = suites.find(([name]) => name === process.argv[suiteArg + 1]);
  if (!suite) throw new Error(`No bench suite named ${process.argv[suiteArg + 1]}`);
  print(suite[0], await suite[1]());
} else {
  const filter = process.argv[2];
  for (const [name] of suites) {
    if (filter && !name.includes(filter)) continue;
    // --expose-gc: memory figures are taken after a full collection.
    const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', import.meta.filename, '--suite', name], {
      stdio: ['ignore', 'inherit', 'pipe'],
      encoding: 'utf8',
      // 1000 concurrent HTTP calls share the SDK transport's AbortSignal: Node warns once per listener, megabytes of it.
      maxBuffer: 256 * 1024 * 1024,
    });
    // The bare SDK transport adds a drain listener per queued write under 1000 concurrent calls; Node warns. Not ours to fix.
    const stderr = (child.stderr ?? '').split('\n').filter((l) => l && !/MaxListenersExceededWarning|--trace-warnings/.test(l));
    if (stderr.length) console.error(stderr.join('\n'));
    if (child.status !== 0) console.log(`(suite ${name} failed with exit code ${child.status})`);
  }
}
