import { pathToFileURL } from 'node:url';
import { KnownSecrets, scrubDeep } from '../electron/core/traffic/known-secrets';
import { redactSecrets } from '../electron/core/traffic/redact';
import { TrafficRecorder } from '../electron/core/traffic/traffic-recorder';

// What the known-secret scrub adds to recording, per record: a tool call's
// request and response through the TrafficRecorder, the history redaction of
// the same call, and the scrub of the live response on its way to the
// renderer; with no known secret (the common case) and with three (a server
// with an API key, a token and a client secret). Run: npx tsx bench/scrub.bench.ts

const ROUNDS = 5_000;
const BATCHES = 9;

function message(i: number, textChars: number) {
  const text = `result ${i}: ${'lorem ipsum dolor sit amet '.repeat(Math.ceil(textChars / 27)).slice(0, textChars)}`;
  return {
    request: {
      jsonrpc: '2.0',
      id: i,
      method: 'tools/call',
      params: { name: 'search_issues', arguments: { query: `bug ${i}`, repo: 'octo/app', limit: 20 }, _meta: { progressToken: i } },
    },
    response: {
      jsonrpc: '2.0',
      id: i,
      result: {
        content: [{ type: 'text', text }],
        structuredContent: { items: [{ id: i, title: 'Crash on start', state: 'open' }], total: 1 },
        isError: false,
      },
    },
  };
}

/** µs per call: the fastest of several batches (the machine is shared; the minimum is the least disturbed). */
function perCall(fn: (i: number) => void): number {
  for (let i = 0; i < 2000; i++) fn(i); // warm up
  let best = Infinity;
  for (let b = 0; b < BATCHES; b++) {
    const t0 = performance.now();
    for (let i = 0; i < ROUNDS; i++) fn(i);
    best = Math.min(best, ((performance.now() - t0) * 1000) / ROUNDS);
  }
  return best;
}

export async function runScrubBench(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const chars of [200, 8000]) {
    const msgs = Array.from({ length: 64 }, (_, i) => message(i, chars));
    for (const secretsCount of [0, 3]) {
      const known = new KnownSecrets();
      for (let s = 0; s < secretsCount; s++) known.add('srv', `injected-secret-value-${s}-${'x'.repeat(20)}`);
      const traffic = new TrafficRecorder({ capacity: 1000, secrets: known });
      const label = `${chars}-char result, ${secretsCount} known secrets`;
      out[`traffic: request+response (µs), ${label}`] = perCall((i) => {
        const m = msgs[i % 64]!;
        traffic.recordMessage('srv', 'out', m.request);
        traffic.recordMessage('srv', 'in', m.response);
      });
      const scrub = known.scrubberFor('srv');
      out[`history redaction: args+result (µs), ${label}`] = perCall((i) => {
        const m = msgs[i % 64]!;
        redactSecrets(m.request.params.arguments, { scrub });
        redactSecrets(m.response.result, { scrub });
      });
      const all = known.scrubberForAll();
      out[`renderer scrub: live response (µs), ${label}`] = perCall((i) => {
        if (all) scrubDeep({ ok: true, value: { callId: 'c', status: 'ok', result: msgs[i % 64]!.response.result } }, all);
      });
    }
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = await runScrubBench();
  const width = Math.max(...Object.keys(results).map((k) => k.length));
  for (const [key, value] of Object.entries(results)) console.log(`${key.padEnd(width)}  ${value.toFixed(2)}`);
}
