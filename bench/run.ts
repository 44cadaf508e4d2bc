import { runStdioBench } from './stdio.bench';

// `npm run bench`: each figure is measured against a baseline in the same run.
// Not a test: nothing here fails the build; the README quotes the output.

type Suite = [string, () => Promise<Record<string, number>>];

const suites: Suite[] = [['stdio: Switchboard core vs bare SDK client (server-everything)', () => runStdioBench()]];

for (const extra of ['./history.bench.ts', './inspect.bench.ts']) {
  try {
    const mod = (await import(extra)) as Record<string, unknown>;
    for (const [key, fn] of Object.entries(mod)) if (key.startsWith('run') && typeof fn === 'function') suites.push([`${extra.replace('./', '').replace('.bench.ts', '')}: ${key}`, fn as Suite[1]]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
  }
}

const only = process.argv[2];
for (const [name, run] of suites) {
  if (only && !name.includes(only)) continue;
  console.log(`\n## ${name}`);
  const results = await run();
  const width = Math.max(...Object.keys(results).map((k) => k.length));
  for (const [key, value] of Object.entries(results)) console.log(`${key.padEnd(width)}  ${value < 10 ? value.toFixed(3) : value.toFixed(1)}`);
}
