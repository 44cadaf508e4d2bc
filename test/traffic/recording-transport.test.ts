import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { JsonRpcEntry } from '../../electron/core/traffic/entry';
import { wrapTransport } from '../../electron/core/traffic/recording-transport';
import { TrafficRecorder } from '../../electron/core/traffic/traffic-recorder';

const require = createRequire(import.meta.url);
const everythingBin = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');

// Recordings of real stdio and Streamable HTTP sessions; the wrapper's contract on
// in-memory transports is in electron/core/traffic/recording-transport.test.ts.

describe('wrapTransport', () => {
  let client: Client | undefined;
  afterEach(async () => {
    await client?.close();
    client = undefined;
  });

  it('records a real stdio session with server-everything, both directions paired', async () => {
    const recorder = new TrafficRecorder();
    const inner = new StdioClientTransport({ command: process.execPath, args: [everythingBin, 'stdio'], stderr: 'pipe' });
    const transport = wrapTransport(inner, (direction, message) => recorder.recordMessage('everything', direction, message));
    expect(transport).toBeInstanceOf(StdioClientTransport);

    client = new Client({ name: 'switchboard-test', version: '0.0.0' }, { capabilities: { sampling: {} } });
    client.setRequestHandler('sampling/createMessage', async () => ({ role: 'assistant', content: { type: 'text', text: 'sampled' }, model: 'test' }));
    let closed = false;
    await client.connect(transport);
    const userOnClose = transport.onclose;
    transport.onclose = () => {
      closed = true;
      userOnClose?.();
    };
    // Transport-specific members stay reachable through the wrapper.
    expect(transport.pid).toBeTypeOf('number');
    expect(transport.stderr).not.toBeNull();

    const tools = await client.listTools();
    expect(tools.tools.some((t) => t.name === 'echo')).toBe(true);
    const echoed = await client.callTool({ name: 'echo', arguments: { message: 'hello' } });
    expect(JSON.stringify(echoed)).toContain('Echo: hello');
    const sampled = await client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'hi', maxTokens: 5 } });
    expect(JSON.stringify(sampled)).toContain('sampled');

    const entries = recorder.list('everything') as JsonRpcEntry[];
    const methods = entries.filter((e) => e.direction === 'out' && e.method).map((e) => e.method);
    expect(methods).toEqual(expect.arrayContaining(['initialize', 'notifications/initialized', 'tools/list', 'tools/call']));

    const initResponse = entries.find((e) => e.direction === 'in' && e.method === 'initialize');
    expect(initResponse?.pairedSeq).toBeDefined();
    expect(initResponse?.latencyMs).toBeGreaterThanOrEqual(0);

    // The server's sampling request is answered by the client: paired in the reverse direction.
    const samplingReq = entries.find((e) => e.direction === 'in' && e.method === 'sampling/createMessage' && e.id !== undefined);
    const samplingRes = entries.find((e) => e.direction === 'out' && e.pairedSeq === samplingReq?.seq);
    expect(samplingReq).toBeDefined();
    expect(samplingRes?.method).toBe('sampling/createMessage');

    // Every client request got its response recorded.
    const requests = entries.filter((e) => e.direction === 'out' && e.method && e.id !== undefined);
    for (const r of requests) expect(r.pairedSeq, r.method).toBeDefined();

    await client.close();
    client = undefined;
    expect(closed).toBe(true);
  });

  it('records a Streamable HTTP session and keeps sessionId live', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [everythingBin, 'streamableHttp'], {
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      await waitForOutput(child, /listening on port/i);
      const url = new URL(`http://127.0.0.1:${port}/mcp`);
      const recorder = new TrafficRecorder();
      const inner = new StreamableHTTPClientTransport(url);
      const transport = wrapTransport(inner, (direction, message) => recorder.recordMessage('http', direction, message));
      expect(transport.sessionId).toBeUndefined();
      client = new Client({ name: 'switchboard-test', version: '0.0.0' });
      await client.connect(transport);
      // Set by the transport after initialize: read through the proxy, not a stale copy.
      expect(transport.sessionId).toMatch(/.+/);
      expect(transport.protocolVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const echoed = await client.callTool({ name: 'echo', arguments: { message: 'over http' } });
      expect(JSON.stringify(echoed)).toContain('Echo: over http');

      const call = (recorder.list('http', { kind: 'jsonrpc', method: 'tools/call' }) as JsonRpcEntry[]).find((e) => e.direction === 'in');
      expect(call?.latencyMs).toBeGreaterThanOrEqual(0);
      await transport.terminateSession();
    } finally {
      await client?.close();
      client = undefined;
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      }
    }
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${text}`)), 15_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (pattern.test(text)) {
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
