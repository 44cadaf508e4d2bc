#!/usr/bin/env node
// Runs the MCP conformance suites in client mode against test/conformance/client.ts,
// both releases side by side:
//   0.1.16          (@modelcontextprotocol/conformance): the 2025-era client scenarios
//   0.2.0-alpha.12  (@modelcontextprotocol/conformance-next): every client scenario of
//                   `list --client`: the 2026-07-28 set, the 2025 set and the extensions
// inside a private network namespace: the scenario servers listen on every interface,
// and inside the namespace only the loopback interface exists, so no traffic can
// leave this machine.
//
//   node test/conformance/run.mjs                          # every client scenario of both releases
//   node test/conformance/run.mjs --release 0.2            # one release
//   node test/conformance/run.mjs --release 0.2 request-metadata tools_call
//   node test/conformance/run.mjs auth/scope-step-up       # that scenario in every release that has it
//   SB_CONFORMANCE_OUT=/tmp/results node test/conformance/run.mjs   # keep checks.json per scenario
//   SB_CONFORMANCE_VERBOSE=1 ...                           # print the runner output of failures
//
// Scenarios run one per `conformance client --scenario` invocation, a few at a
// time (SB_CONFORMANCE_CONCURRENCY, default 4: each scenario mostly waits) from one queue over both releases,
// and the timing-sensitive `sse-retry` (reconnect must happen 450-700 ms after the
// stream closes) runs alone at the end: the runner's own `--suite all` starts
// every client at once, which on a 2-core machine delays the reconnect into a WARNING.
//
// Exit status: 0 when every scenario passes except those listed (each with a
// reason) under its release in test/conformance/expected-failures.yml; 1 on an
// unexpected failure or a stale baseline entry (a listed scenario that now
// passes); 2 on setup errors.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const root = resolve(dirname(self), '../..');
const node = process.execPath;
const RELEASES = [
  { key: '0.1', name: '0.1.16', pkg: '@modelcontextprotocol/conformance' },
  { key: '0.2', name: '0.2.0-alpha.12', pkg: '@modelcontextprotocol/conformance-next' },
].map((r) => ({ ...r, cli: join(root, 'node_modules', r.pkg, 'dist/index.js') }));
const baselinePath = join(root, 'test/conformance/expected-failures.yml');
const TIMING_SENSITIVE = new Set(['sse-retry']);

function fail(message) {
  console.error(message);
  process.exit(2);
}

if (Number(process.versions.node.split('.')[0]) < 22) fail(`conformance needs Node >= 22 (this is ${process.version}); put Node 22 first on PATH`);
if (/\s/.test(node)) fail(`The node path contains whitespace, which the conformance runner cannot handle (it splits --command on spaces): ${node}`);
for (const r of RELEASES) if (!existsSync(r.cli)) fail(`${r.pkg} (${r.name}) is not installed`);

/** `[--release 0.1|0.2] [scenario ...]` */
function parseArgs(argv) {
  const scenarios = [];
  let release;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--release') {
      const key = argv[++i];
      release = RELEASES.find((r) => r.key === key || r.name === key);
      if (!release) fail(`--release must be one of ${RELEASES.map((r) => r.key).join(', ')}`);
    } else if (argv[i].startsWith('--')) fail(`unknown option ${argv[i]}`);
    else scenarios.push(argv[i]);
  }
  return { releases: release ? [release] : RELEASES, scenarios };
}
const args = parseArgs(process.argv.slice(2));

if (process.env.SB_CONFORMANCE_NETNS !== '1') {
  // Outer process: re-run this script inside a fresh network namespace with only `lo`.
  const flavours = process.getuid?.() === 0 ? [['-n'], ['-rn']] : [['-rn']];
  const usable = flavours.find((f) => spawnSync('unshare', [...f, 'ip', 'link', 'set', 'lo', 'up'], { stdio: 'ignore' }).status === 0);
  if (!usable)
    fail('Cannot create a private network namespace (unshare -n / unshare -rn failed); refusing to run scenario servers that listen on all interfaces.');
  // A constant script; every variable part is a positional argument ("$@").
  const child = spawn('unshare', [...usable, 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', node, self, ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, SB_CONFORMANCE_NETNS: '1', NODE_OPTIONS: '' },
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await inner();
}

/**
 * expected-failures.yml: one top-level key per release name ("0.1.16":, "0.2.0-alpha.12":),
 * each a list of "- scenario  # reason" lines (or `[]`).
 */
function readBaseline() {
  const byRelease = new Map(RELEASES.map((r) => [r.name, new Map()]));
  if (!existsSync(baselinePath)) return byRelease;
  let current;
  for (const line of readFileSync(baselinePath, 'utf8').split('\n')) {
    const key = /^["']?([^\s"':#]+)["']?:\s*(\[\s*\])?\s*(#.*)?$/.exec(line);
    if (key) {
      current = byRelease.get(key[1]);
      if (!current) fail(`expected-failures.yml: unknown release "${key[1]}" (known: ${RELEASES.map((r) => r.name).join(', ')})`);
      continue;
    }
    if (/^\S/.test(line)) current = undefined;
    const m = current ? /^\s+-\s+([^\s#]+)\s*(?:#\s*(.*))?$/.exec(line) : null;
    if (m) {
      if (!m[2]?.trim()) fail(`expected-failures.yml: ${m[1]} has no reason (write "- ${m[1]}  # why")`);
      current.set(m[1], m[2].trim());
    }
  }
  return byRelease;
}

function run(cli, args) {
  return new Promise((done) => {
    const child = spawn(node, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => done({ code: code ?? 1, out }));
  });
}

function sumChecks(list) {
  return list.reduce(
    (acc, r) =>
      r.checks
        ? {
            passed: acc.passed + r.checks.passed,
            total: acc.total + r.checks.total,
            failed: acc.failed + r.checks.failed,
            warnings: acc.warnings + r.checks.warnings,
          }
        : acc,
    { passed: 0, total: 0, failed: 0, warnings: 0 },
  );
}

async function inner() {
  const baseline = readBaseline();
  const outDir = process.env.SB_CONFORMANCE_OUT;
  const concurrency = Math.max(1, Number(process.env.SB_CONFORMANCE_CONCURRENCY) || 4);
  const command = `${node} --import tsx test/conformance/client.ts`;

  /** One job per (release, scenario). */
  const jobs = [];
  const unmatched = new Set(args.scenarios);
  for (const release of args.releases) {
    const listed = (await run(release.cli, ['list', '--client'])).out;
    const all = [...listed.matchAll(/^\s+-\s+(\S+)\s+\[/gm)].map((m) => m[1]);
    if (all.length === 0) fail(`could not list the client scenarios of ${release.name}:\n${listed}`);
    for (const name of args.scenarios.length ? args.scenarios.filter((s) => all.includes(s)) : all) {
      unmatched.delete(name);
      jobs.push({ release, name });
    }
  }
  if (unmatched.size) fail(`unknown scenario(s) in ${args.releases.map((r) => r.name).join(' / ')}: ${[...unmatched].join(', ')}`);

  const results = new Map();
  const keyOf = (j) => `${j.release.name} ${j.name}`;
  const runOne = async (job) => {
    const { release, name } = job;
    const started = Date.now();
    const out = outDir ? ['-o', join(outDir, release.name)] : [];
    const res = await run(release.cli, ['client', '--command', command, '--scenario', name, ...out]);
    const m = /Passed:\s*(\d+)\/(\d+),\s*(\d+) failed,\s*(\d+) warnings/.exec(res.out);
    const r = {
      ...job,
      pass: res.code === 0,
      checks: m ? { passed: +m[1], total: +m[2], failed: +m[3], warnings: +m[4] } : undefined,
      ms: Date.now() - started,
      out: res.out,
    };
    results.set(keyOf(job), r);
    const c = r.checks ? `${r.checks.passed}/${r.checks.total} checks, ${r.checks.failed} failed, ${r.checks.warnings} warnings` : 'no check summary';
    const expected = !r.pass && baseline.get(release.name).has(name) ? '  [expected]' : '';
    console.log(`${r.pass ? 'PASS' : 'FAIL'}  ${release.name}  ${name}  (${c}, ${(r.ms / 1000).toFixed(1)} s)${expected}`);
    if (!r.pass && process.env.SB_CONFORMANCE_VERBOSE) console.log(res.out.replace(/^/gm, '    | '));
  };

  const queue = jobs.filter((j) => !TIMING_SENSITIVE.has(j.name));
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await runOne(next);
    }),
  );
  for (const j of jobs.filter((j) => TIMING_SENSITIVE.has(j.name))) await runOne(j);

  let bad = 0;
  const everything = [];
  for (const release of args.releases) {
    const list = jobs.filter((j) => j.release === release).map((j) => results.get(keyOf(j)));
    if (!list.length) continue;
    everything.push(...list);
    const known = baseline.get(release.name);
    const passed = list.filter((r) => r.pass).length;
    const checks = sumChecks(list);
    const unexpected = list.filter((r) => !r.pass && !known.has(r.name)).map((r) => r.name);
    const stale = list.filter((r) => r.pass && known.has(r.name)).map((r) => r.name);
    const expected = list.filter((r) => !r.pass && known.has(r.name)).map((r) => r.name);
    console.log(`\n${release.name} (${release.pkg})`);
    console.log(`  Scenarios: ${passed}/${list.length} passed, ${list.length - passed} failed (${expected.length} expected)`);
    console.log(`  Checks: ${checks.passed}/${checks.total} passed, ${checks.failed} failed, ${checks.warnings} warnings`);
    for (const name of expected) console.log(`  expected failure: ${name}: ${known.get(name)}`);
    for (const name of unexpected) console.log(`  UNEXPECTED FAILURE: ${name}`);
    for (const name of stale) console.log(`  STALE BASELINE ENTRY (now passes, remove it): ${name}`);
    bad += unexpected.length + stale.length;
  }
  if (args.releases.length > 1) {
    const passed = everything.filter((r) => r.pass).length;
    const checks = sumChecks(everything);
    console.log(
      `\nTotal: ${passed}/${everything.length} scenarios passed; checks ${checks.passed}/${checks.total} passed, ${checks.failed} failed, ${checks.warnings} warnings`,
    );
  }
  process.exit(bad ? 1 : 0);
}
