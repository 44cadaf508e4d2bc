import { describe, expect, it } from 'vitest';
import { buildBridge, createClient, isListenerKey, type SwitchboardBridge } from '../bridge';
import { dispatch, type Handlers } from '../../electron/core/ipc/dispatch';
import { Envelope, eventNames, events, IpcError, methodNames, methods } from './index';

const handlers = new Proxy({} as Handlers, {
  get: (_t, name: string) => async (request: unknown) => {
    if (name === 'listServers') return { servers: [], invalid: [], leaked: 'secret-token' };
    if (name === 'removeServer') throw new IpcError('NOT_FOUND', 'No server with id x.');
    if (name === 'getServerLog') throw new TypeError('boom');
    return request;
  },
});

describe('the IPC contract', () => {
  it('declares requests and responses as zod schemas, and events with payloads', () => {
    for (const name of methodNames) {
      expect(typeof methods[name].request.safeParse).toBe('function');
      expect(typeof methods[name].response.safeParse).toBe('function');
      // Listener keys are told apart from methods by their shape.
      expect(isListenerKey(name)).toBe(false);
    }
    for (const name of eventNames) expect(typeof events[name].payload.safeParse).toBe('function');
  });

  it('rejects a malformed request with a typed INVALID_REQUEST error, never a crash', async () => {
    for (const bad of [undefined, null, 42, 'x', [], { serverId: 7 }, { serverId: '' }, { config: { transport: 'ftp' } }]) {
      const result = await dispatch(handlers, 'removeServer', bad);
      expect(Envelope.parse(result)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    }
    const add = await dispatch(handlers, 'addServer', { config: { transport: 'stdio', name: 'x', command: 'node', args: 'not-an-array' } });
    expect(add).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', details: { issues: [{ path: 'config.args' }] } } });
  });

  it('rejects unknown methods, including prototype keys', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 'toString']) {
      expect(await dispatch(handlers, name, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
  });

  it('passes typed errors through and wraps unexpected ones as INTERNAL', async () => {
    expect(await dispatch(handlers, 'removeServer', { serverId: 'x' })).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No server with id x.' } });
    expect(await dispatch(handlers, 'getServerLog', { serverId: 'x' })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('strips response fields the contract does not declare', async () => {
    const result = await dispatch(handlers, 'listServers', {});
    expect(result).toEqual({ ok: true, value: { servers: [], invalid: [] } });
  });

  it('builds a bridge with exactly one function per method and one subscriber per event', async () => {
    const calls: [string, unknown][] = [];
    const bridge = buildBridge(
      methodNames,
      eventNames,
      async (channel, request) => {
        calls.push([channel, request]);
        return channel.endsWith('removeServer') ? { ok: false, error: { code: 'NOT_FOUND', message: 'gone' } } : { ok: true, value: { servers: [] } };
      },
      () => () => undefined,
    );
    expect(Object.keys(bridge).sort()).toEqual([...methodNames, ...eventNames.map((e) => `on${e[0]!.toUpperCase()}${e.slice(1)}`)].sort());
    expect(Object.isFrozen(bridge)).toBe(true);
    const client = createClient(bridge as SwitchboardBridge);
    await expect(client.listServers({})).resolves.toEqual({ servers: [] });
    await expect(client.removeServer({ serverId: 'a' })).rejects.toMatchObject({ name: 'IpcError', code: 'NOT_FOUND', message: 'gone' });
    expect(calls[0]).toEqual(['switchboard:call:listServers', {}]);
  });

  it('keeps the bridge builder self-contained so it can be serialised into the e2e init script', () => {
    const rebuilt = new Function(`return (${buildBridge.toString()})`)() as typeof buildBridge;
    const bridge = rebuilt(
      ['a'],
      ['b'],
      async () => 1,
      () => () => undefined,
    );
    expect(Object.keys(bridge)).toEqual(['a', 'onB']);
  });
});
