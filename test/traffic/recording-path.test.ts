import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { connectRemote, type RemoteSession } from '../../electron/core/remote/remote-connection';
import { StdioProcessTransport } from '../../electron/core/servers/stdio-process-transport';
import type { JsonRpcEntry } from '../../electron/core/traffic/entry';
import { KnownSecrets } from '../../electron/core/traffic/known-secrets';
import { REDACTED } from '../../electron/core/traffic/redact';
import { wrapTransport, type TrafficMessage } from '../../electron/core/traffic/recording-transport';
import { TrafficRecorder } from '../../electron/core/traffic/traffic-recorder';
import { useCleanup } from '../helpers/cleanup';

// Stdio and remote traffic take one path: wrapTransport hands the transport the
// observer, the observer queues (serverId, direction, message, ts), and the
// recorder parses, redacts and pairs what was queued. Our stdio transport
// reports JSON lines, the remote transport message objects; the entries come
// out the same.

const require = createRequire(import.meta.url);
const everythingBin = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');

type Queued = [serverId: string, direction: 'in' | 'out', message: TrafficMessage, ts: number];

/** The inspector's recording in miniature: queue on the call path, record later. */
function recording() {
  const queue: Queued[] = [];
  const recorder = new TrafficRecorder();
  return {
    queue,
    recorder,
    wrap: <T extends Parameters<typeof wrapTransport>[0]>(serverId: string, transport: T) =>
      wrapTransport(transport, (direction, message) => void queue.push([serverId, direction, message, performance.timeOrigin + performance.now()])),
    drain: () => {
      for (const [serverId, direction, message, ts] of queue.splice(0)) recorder.recordMessage(serverId, direction, message, ts);
    },
  };
}

function expectSession(entries: JsonRpcEntry[]): void {
  const out = entries.filter((e) => e.direction === 'out' && e.method).map((e) => e.method);
  expect(out).toEqual(expect.arrayContaining(['initialize', 'notifications/initialized', 'tools/call']));
  const call = entries.find((e) => e.direction === 'out' && e.method === 'tools/call')!;
  const answer = entries.find((e) => e.direction === 'in' && e.pairedSeq === call.seq)!;
  expect(answer).toMatchObject({ method: 'tools/call', id: call.id });
  expect(answer.latencyMs).toBeGreaterThanOrEqual(0);
  expect(JSON.stringify(answer.message)).toContain('Echo: hello');
  for (const e of entries) expect(typeof e.message).toBe('object');
}

const track = useCleanup();

describe('one recording path for stdio and remote traffic', () => {
  it('records our stdio transport from its JSON lines and a remote session from its messages, into the same entries', async () => {
    const rec = recording();

    const stdio = new StdioProcessTransport({ command: process.execPath, args: [everythingBin, 'stdio'], env: process.env });
    const wrapped = rec.wrap('local', stdio);
    // No Proxy on the call path: the transport reports its own traffic.
    expect(wrapped).toBe(stdio);
    const local = new Client({ name: 'test', version: '0' });
    track(local);
    await local.connect(wrapped);
    await local.callTool({ name: 'echo', arguments: { message: 'hello' } });

    const port = await freePort();
    const child = spawn(process.execPath, [everythingBin, 'streamableHttp'], {
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    track.defer(() => child.kill());
    await waitForListening(child);
    const remoteClient = new Client({ name: 'test', version: '0' });
    const session: RemoteSession = await connectRemote({
      url: `http://127.0.0.1:${port}/mcp`,
      mode: 'streamable-http',
      headers: {},
      client: remoteClient,
      timeoutMs: 10_000,
      wrapTransport: (t) => rec.wrap('remote', t),
    });
    track(session);
    await remoteClient.callTool({ name: 'echo', arguments: { message: 'hello' } });

    const kinds = (id: string) => new Set(rec.queue.filter(([s]) => s === id).map(([, , m]) => typeof m));
    expect(kinds('local')).toEqual(new Set(['string']));
    expect(kinds('remote')).toEqual(new Set(['object']));

    rec.drain();
    expectSession(rec.recorder.list('local') as JsonRpcEntry[]);
    expectSession(rec.recorder.list('remote') as JsonRpcEntry[]);
  });

  it('a throwing observer does not break our stdio transport', async () => {
    const stdio = new StdioProcessTransport({ command: process.execPath, args: [everythingBin, 'stdio'], env: process.env });
    let seen = 0;
    const client = new Client({ name: 'test', version: '0' });
    track(client);
    await client.connect(
      wrapTransport(stdio, () => {
        seen++;
        throw new Error('recording failure must not matter');
      }),
    );
    const result = await client.callTool({ name: 'echo', arguments: { message: 'still here' } });
    expect(JSON.stringify(result)).toContain('still here');
    expect(seen).toBeGreaterThanOrEqual(6);
  });

  it('a message recorded from its JSON line is redacted and scrubbed exactly as the object is', () => {
    const secrets = new KnownSecrets();
    secrets.add('s', 'sk-live-0123456789abcdef');
    const recorder = new TrafficRecorder({ secrets });
    const message = {
      jsonrpc: '2.0',
      id: 7,
      result: {
        content: [{ type: 'text', text: 'your key is sk-live-0123456789abcdef' }],
        structuredContent: { password: 'hunter2', note: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXZhbHVl' },
      },
    };
    const fromObject = recorder.recordMessage('s', 'in', message);
    const fromLine = recorder.recordMessage('s', 'in', JSON.stringify(message));
    expect(fromLine.message).toEqual(fromObject.message);
    expect(fromLine.id).toBe(7);
    const text = JSON.stringify(fromLine.message);
    expect(text).not.toContain('sk-live-0123456789abcdef');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('eyJzdWIiOiIxIn0');
    expect(text).toContain(REDACTED);
  });

  it('a line that is not JSON is kept as redacted text, and pairs nothing', () => {
    const secrets = new KnownSecrets();
    secrets.add('s', 'sk-live-0123456789abcdef');
    const recorder = new TrafficRecorder({ secrets });
    const entry = recorder.recordMessage('s', 'in', '{"jsonrpc":"2.0","id":1,"result": sk-live-0123456789abcdef');
    expect(typeof entry.message).toBe('string');
    expect(entry.message).not.toContain('sk-live-0123456789abcdef');
    expect(entry.id).toBeUndefined();
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function waitForListening(child: ReturnType<typeof spawn>): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${text}`)), 15_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (/listening on port/i.test(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${text}`));
    });
  });
}
