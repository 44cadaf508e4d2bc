#!/usr/bin/env node
// Runs the MCP conformance suite (@modelcontextprotocol/conformance 0.1.16, client
// mode) against test/conformance/client.ts, inside a private network namespace:
// the scenario servers listen on every interface, and inside the namespace only
// the loopback interface exists, so no traffic can leave this machine.
//
//   node test/conformance/run.mjs                          # every client scenario
//   node test/conformance/run.mjs auth/scope-step-up sse-retry
//   SB_CONFORMANCE_OUT=/tmp/results node test/conformance/run.mjs   # keep checks.json per scenario
//   SB_CONFORMANCE_VERBOSE=1 ...                           # print the runner output of failures
//
// Scenarios run one per `conformance client --scenario` invocation, a few at a
// time (SB_CONFORMANCE_CONCURRENCY, default 3), and the timing-sensitive
// `sse-retry` (reconnect must happen 450-700 ms after the stream closes) runs
// alone at the end: the runner's own `--suite all` starts all 26 clients at
// once, which on a 2-core machine delays the reconnect into a WARNING.
//
// Exit status: 0 when every scenario passes except those listed (each with a
// reason) in test/conformance/expected-failures.yml; 1 on an unexpected failure
// or a stale baseline entry (a listed scenario that now passes); 2 on setup errors.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const root = resolve(dirname(self), '../..');
const node = process.execPath;
const cli = join(root, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
const baselinePath = join(root, 'test/conformance/expected-failures.yml');
const TIMING_SENSITIVE = new Set(['sse-retry']);

function fail(message) {
  console.error(message);
  process.exit(2);
}

if (Number(process.versions.node.split('.')[0]) < 22) fail(`conformance needs Node >= 22 (this is ${process.version}); put Node 22 first on PATH`);
if (/\s/.test(node)) fail(`The node path contains whitespace, which the conformance runner cannot handle (it splits --command on spaces): ${node}`);
if (!existsSync(cli)) fail('@modelcontextprotocol/conformance is not installed');

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

function readBaseline() {
  if (!existsSync(baselinePath)) return new Map();
  const entries = new Map();
  let inClient = false;
  for (const line of readFileSync(baselinePath, 'utf8').split('\n')) {
    if (/^client:\s*(\[\s*\])?\s*(#.*)?$/.test(line)) {
      inClient = true;
      continue;
    }
    if (/^\S/.test(line)) inClient = false;
    const m = inClient ? /^\s+-\s+([^\s#]+)\s*(?:#\s*(.*))?$/.exec(line) : null;
    if (m) {
      if (!m[2]?.trim()) fail(`expected-failures.yml: ${m[1]} has no reason (write "- ${m[1]}  # why")`);
      entries.set(m[1], m[2].trim());
    }
  }
  return entries;
}

function run(args) {
  return new Promise((done) => {
    const child = spawn(node, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => done({ code: code ?? 1, out }));
  });
}

async function inner() {
  const listed = (await run(['list', '--client'])).out;
  const all = [...listed.matchAll(/^\s+-\s+(\S+)\s+\[/gm)].map((m) => m[1]);
  if (all.length === 0) fail(`could not list client scenarios:\n${listed}`);
  const requested = process.argv.slice(2);
  for (const r of requested) if (!all.includes(r)) fail(`unknown scenario: ${r}`);
  const scenarios = requested.length ? requested : all;
  const baseline = readBaseline();
  const outDir = process.env.SB_CONFORMANCE_OUT;
  const concurrency = Math.max(1, Number(process.env.SB_CONFORMANCE_CONCURRENCY) || 3);
  const command = `${node} --import tsx test/conformance/client.ts`;

  const results = new Map();
  const runOne = async (name) => {
    const started = Date.now();
    const { code, out } = await run(['client', '--command', command, '--scenario', name, ...(outDir ? ['-o', outDir] : [])]);
    const m = /Passed:\s*(\d+)\/(\d+),\s*(\d+) failed,\s*(\d+) warnings/.exec(out);
    const r = {
      name,
      pass: code === 0,
      checks: m ? { passed: +m[1], total: +m[2], failed: +m[3], warnings: +m[4] } : undefined,
      ms: Date.now() - started,
      out,
    };
    results.set(name, r);
    const c = r.checks ? `${r.checks.passed}/${r.checks.total} checks, ${r.checks.failed} failed, ${r.checks.warnings} warnings` : 'no check summary';
    console.log(`${r.pass ? 'PASS' : 'FAIL'}  ${name}  (${c}, ${(r.ms / 1000).toFixed(1)} s)${!r.pass && baseline.has(name) ? '  [expected]' : ''}`);
    if (!r.pass && process.env.SB_CONFORMANCE_VERBOSE) console.log(out.replace(/^/gm, '    | '));
  };

  const queue = scenarios.filter((s) => !TIMING_SENSITIVE.has(s));
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await runOne(next);
    }),
  );
  for (const s of scenarios.filter((s) => TIMING_SENSITIVE.has(s))) await runOne(s);

  const list = scenarios.map((s) => results.get(s));
  const passed = list.filter((r) => r.pass).length;
  const checks = list.reduce(
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
  const unexpected = list.filter((r) => !r.pass && !baseline.has(r.name)).map((r) => r.name);
  const stale = list.filter((r) => r.pass && baseline.has(r.name)).map((r) => r.name);
  const expected = list.filter((r) => !r.pass && baseline.has(r.name)).map((r) => r.name);
  console.log(`\nScenarios: ${passed}/${list.length} passed, ${list.length - passed} failed (${expected.length} expected)`);
  console.log(`Checks: ${checks.passed}/${checks.total} passed, ${checks.failed} failed, ${checks.warnings} warnings`);
  for (const name of expected) console.log(`  expected failure: ${name}: ${baseline.get(name)}`);
  for (const name of unexpected) console.log(`  UNEXPECTED FAILURE: ${name}`);
  for (const name of stale) console.log(`  STALE BASELINE ENTRY (now passes, remove it): ${name}`);
  process.exit(unexpected.length || stale.length ? 1 : 0);
}
