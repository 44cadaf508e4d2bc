import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IpcError, type CallToolResponse, type ToolView } from '../../api';
import { deferred, fakeApi } from '../../test/fake-api';
import { useTools } from './store';
import { ToolCaller } from './ToolCaller';

// Calling a tool from its form, against the fake core: what is sent, and how
// each kind of answer (result, tool error, protocol error, refusal) is shown.

const echo: ToolView = {
  name: 'echo',
  inputSchema: {
    type: 'object',
    properties: { message: { type: 'string' }, count: { type: 'integer', minimum: 1 }, loud: { type: 'boolean' } },
    required: ['message'],
  },
};

const ok = (callId: string, text: string): CallToolResponse => ({ callId, status: 'ok', durationMs: 12, result: { content: [{ type: 'text', text }] } });

const caller = () => screen.getByRole('region', { name: 'Call echo' });
const run = () => fireEvent.click(screen.getByRole('button', { name: 'Run tool' }));

beforeAll(() => {
  // What App does at start: subscribe the tools store to core events (progress among them).
  useTools.getState().init();
});
// Forms and results persist per server and tool: each test starts with none.
afterEach(() => useTools.setState({ sessions: {}, selected: {} }));

describe('ToolCaller', () => {
  it('sends the form as typed arguments and shows the result', async () => {
    fakeApi.use({ callTool: ({ callId, arguments: args }) => ok(callId, `echo: ${String(args?.message)}`) });
    render(<ToolCaller serverId="srv-1" tool={echo} />);
    fireEvent.change(screen.getByRole('textbox', { name: 'message' }), { target: { value: 'hi' } });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'count' }), { target: { value: '3' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'loud' }));
    run();

    const result = await screen.findByRole('region', { name: 'Result' });
    expect(within(result).getByTestId('call-status').textContent).toBe('Succeeded');
    expect(within(result).getByText('echo: hi')).toBeTruthy();
    const [request] = fakeApi.requests('callTool');
    expect(request).toMatchObject({
      serverId: 'srv-1',
      tool: 'echo',
      arguments: { message: 'hi', count: 3, loud: true },
      timeoutMs: 60_000,
      skipValidation: false,
    });
    expect(request?.callId).toMatch(/^call-/);
  });

  it('passes the chosen timeout and "Send without validating"', async () => {
    fakeApi.use({ callTool: ({ callId }) => ok(callId, 'done') });
    render(<ToolCaller serverId="srv-1" tool={echo} />);
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Timeout (seconds)' }), { target: { value: '2.5' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Send without validating' }));
    run();
    await screen.findByRole('region', { name: 'Result' });
    expect(fakeApi.requests('callTool')[0]).toMatchObject({ timeoutMs: 2500, skipValidation: true });
  });

  it('refuses a timeout out of range without calling the core', () => {
    render(<ToolCaller serverId="srv-1" tool={echo} />);
    const timeout = screen.getByRole('spinbutton', { name: 'Timeout (seconds)' });
    // Below the minimum the browser's own constraint check stops the submit; above 3600 is ours to catch.
    fireEvent.change(timeout, { target: { value: '5000' } });
    run();
    expect(screen.getByText('Between 0.1 and 3600 seconds.')).toBeTruthy();
    expect(timeout.getAttribute('aria-invalid')).toBe('true');
    expect(fakeApi.requests('callTool')).toEqual([]);
  });

  it('shows field errors from the core (VALIDATION) on the fields they name', async () => {
    fakeApi.use({
      callTool: () => {
        throw new IpcError('VALIDATION', 'Arguments do not match the input schema.', { count: 'must be <= 3', '': 'must have required property message' });
      },
    });
    render(<ToolCaller serverId="srv-1" tool={echo} />);
    fireEvent.change(screen.getByRole('spinbutton', { name: 'count' }), { target: { value: '5' } });
    run();

    await screen.findByText('The arguments do not match the input schema. Nothing was sent.');
    const count = screen.getByRole('spinbutton', { name: 'count' });
    expect(count.getAttribute('aria-invalid')).toBe('true');
    expect(within(count.closest('.field') as HTMLElement).getByText('must be <= 3')).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'message' }).getAttribute('aria-invalid')).toBeNull();
    expect(screen.getAllByRole('alert').map((a) => a.textContent)).toContain('must have required property message');
    expect(screen.queryByRole('region', { name: 'Result' })).toBeNull();
  });

  it('shows the core verdict on a field whose pattern is catastrophic, and notes schema parts it could not check', async () => {
    const tool: ToolView = { name: 'evil', inputSchema: { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } }, required: ['s'] } };
    const hostile = `${'a'.repeat(5000)}!`;
    fakeApi.use({
      callTool: ({ callId, arguments: args }) => {
        if (args?.s === hostile) throw new IpcError('VALIDATION', 'Arguments do not match the input schema.', { s: 'must match pattern "^(a+)+$"' });
        return { ...ok(callId, 'evil done'), inputUnchecked: ["The schema's pattern ^(a+)\\1$ cannot be checked safely: backreferences. It was not checked."] };
      },
    });
    render(<ToolCaller serverId="srv-1" tool={tool} />);
    const s = screen.getByRole('textbox', { name: 's' });
    fireEvent.change(s, { target: { value: hostile } });
    run();
    await screen.findByText('must match pattern "^(a+)+$"');
    expect(s.getAttribute('aria-invalid')).toBe('true');

    fireEvent.change(s, { target: { value: 'aaa' } });
    run();
    const result = await screen.findByRole('region', { name: 'Result' });
    expect(within(result).getByTestId('schema-unchecked').textContent).toContain('cannot be checked safely');
    expect(within(result).getByText('evil done')).toBeTruthy();
  });

  it('shows progress while the call runs, and Cancel cancels that call', async () => {
    const answer = deferred<CallToolResponse>();
    fakeApi.use({ callTool: () => answer.promise, cancelToolCall: () => ({ cancelled: true }) });
    render(<ToolCaller serverId="srv-1" tool={echo} />);
    run();

    const cancel = await screen.findByRole('button', { name: 'Cancel call' });
    expect((screen.getByRole('button', { name: 'Running…' }) as HTMLButtonElement).disabled).toBe(true);
    const callId = fakeApi.requests('callTool')[0]!.callId;
    act(() => fakeApi.emit('toolProgress', { serverId: 'srv-1', callId, progress: 3, total: 10, message: 'warming up' }));
    const bar = screen.getByRole('progressbar', { name: 'Progress' }) as HTMLProgressElement;
    expect(bar.value).toBe(3);
    expect(bar.max).toBe(10);
    expect(caller().textContent).toContain('3 / 10 warming up');
    // Progress for another call does not move this bar.
    act(() => fakeApi.emit('toolProgress', { serverId: 'srv-1', callId: 'call-other', progress: 9, total: 10 }));
    expect(bar.value).toBe(3);

    fireEvent.click(cancel);
    await waitFor(() => expect(fakeApi.requests('cancelToolCall')).toEqual([{ callId }]));
    await act(async () => answer.resolve({ callId, status: 'cancelled', durationMs: 40, error: { message: 'Cancelled by the user.' } }));
    expect(within(screen.getByRole('region', { name: 'Result' })).getByTestId('call-status').textContent).toBe('Cancelled');
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Cancel call' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Run tool' })).toBeTruthy();
  });

  it('tells a tool that returned isError apart from a protocol error', async () => {
    fakeApi.use({
      callTool: ({ callId }) => ({ callId, status: 'tool-error', durationMs: 5, result: { isError: true, content: [{ type: 'text', text: 'disk full' }] } }),
    });
    render(<ToolCaller serverId="srv-1" tool={echo} />);
    run();
    let result = await screen.findByRole('region', { name: 'Result' });
    expect(within(result).getByTestId('call-status').textContent).toBe('Tool reported an error');
    expect(within(result).getByText('The tool ran and returned isError: true. Its content explains the problem.')).toBeTruthy();
    expect(within(result).getByText('disk full')).toBeTruthy();
    expect(within(result).queryByRole('alert')).toBeNull();

    fakeApi.use({ callTool: ({ callId }) => ({ callId, status: 'error', durationMs: 5, error: { code: -32602, message: 'Unknown tool: echo' } }) });
    run();
    await waitFor(() => expect(within(screen.getByRole('region', { name: 'Result' })).getByTestId('call-status').textContent).toBe('Protocol error'));
    result = screen.getByRole('region', { name: 'Result' });
    expect(within(result).getByRole('alert').textContent).toBe('-32602: Unknown tool: echo');
    expect(within(result).queryByText(/returned isError/)).toBeNull();
  });

  it('a -32042 (URL elicitation required) error offers one button that retries the same call', async () => {
    let calls = 0;
    fakeApi.use({
      callTool: ({ callId }) =>
        ++calls === 1
          ? { callId, status: 'error', durationMs: 5, error: { code: -32042, message: 'This request requires more information.' } }
          : ok(callId, 'visited'),
    });
    render(<ToolCaller serverId="srv-1" tool={echo} />);
    fireEvent.change(screen.getByRole('textbox', { name: /message/ }), { target: { value: 'hi' } });
    run();
    const retry = await screen.findByRole('button', { name: 'Retry the call' });
    fireEvent.click(retry);
    await waitFor(() => expect(within(screen.getByRole('region', { name: 'Result' })).getByTestId('call-status').textContent).toBe('Succeeded'));
    const [first, second] = fakeApi.requests('callTool');
    expect(second?.arguments).toEqual(first?.arguments);
    expect(second?.callId).not.toBe(first?.callId);
    expect(screen.queryByRole('button', { name: 'Retry the call' })).toBeNull();
  });

  it('shows an error the core raised for the call itself', async () => {
    fakeApi.use({
      callTool: () => {
        throw new IpcError('NOT_FOUND', 'The server srv-1 is not connected.');
      },
    });
    render(<ToolCaller serverId="srv-1" tool={echo} />);
    run();
    expect((await screen.findByRole('alert')).textContent).toBe('The server srv-1 is not connected.');
  });

  it('round-trips the arguments through the raw JSON editor', async () => {
    fakeApi.use({ callTool: ({ callId }) => ok(callId, 'done') });
    render(<ToolCaller serverId="srv-1" tool={echo} />);
    fireEvent.change(screen.getByRole('textbox', { name: 'message' }), { target: { value: 'from the form' } });

    fireEvent.click(screen.getByRole('radio', { name: 'Raw JSON' }));
    const raw = screen.getByRole('textbox', { name: 'Arguments (JSON)' }) as HTMLTextAreaElement;
    expect(JSON.parse(raw.value)).toEqual({ message: 'from the form' });
    fireEvent.change(raw, { target: { value: '{"message": "from JSON", "count": 7}' } });

    fireEvent.click(screen.getByRole('radio', { name: 'Form' }));
    expect((screen.getByRole('textbox', { name: 'message' }) as HTMLInputElement).value).toBe('from JSON');
    expect((screen.getByRole('spinbutton', { name: 'count' }) as HTMLInputElement).value).toBe('7');
    run();
    await screen.findByRole('region', { name: 'Result' });
    expect(fakeApi.requests('callTool')[0]?.arguments).toEqual({ message: 'from JSON', count: 7 });
  });

  it('stays in the JSON editor when its text is not a JSON object, and says why', () => {
    render(<ToolCaller serverId="srv-1" tool={echo} />);
    fireEvent.click(screen.getByRole('radio', { name: 'Raw JSON' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Arguments (JSON)' }), { target: { value: '[1, 2]' } });
    fireEvent.click(screen.getByRole('radio', { name: 'Form' }));
    expect(screen.getByRole('alert').textContent).toBe('Cannot switch to the form: The arguments must be a JSON object.');
    expect(screen.getByRole('textbox', { name: 'Arguments (JSON)' })).toBeTruthy();
    run();
    expect(screen.getByRole('alert').textContent).toBe('Invalid JSON: The arguments must be a JSON object.');
    expect(fakeApi.requests('callTool')).toEqual([]);
  });

  it('offers "Run as task" only where the tool allows a task, and always asks for one where it requires it', async () => {
    fakeApi.use({ callTool: ({ callId }) => ({ callId, status: 'task', durationMs: 3, task: { taskId: 't-1' } }) });
    const { unmount } = render(<ToolCaller serverId="srv-1" tool={{ ...echo, taskSupport: 'forbidden' }} />);
    expect(screen.queryByRole('checkbox', { name: 'Run as task' })).toBeNull();
    unmount();

    const optional = render(<ToolCaller serverId="srv-1" tool={{ ...echo, taskSupport: 'optional' }} />);
    fireEvent.change(screen.getByRole('textbox', { name: 'message' }), { target: { value: 'hi' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Run as task' }));
    run();
    expect((await screen.findByTestId('call-task')).textContent).toContain('t-1');
    optional.unmount();

    render(<ToolCaller serverId="srv-1" tool={{ ...echo, taskSupport: 'required' }} />);
    expect(screen.queryByRole('checkbox', { name: 'Run as task' })).toBeNull();
    expect(screen.getByText(/always runs as a task/)).toBeTruthy();
    fireEvent.change(screen.getByRole('textbox', { name: 'message' }), { target: { value: 'hi' } });
    run();
    await screen.findByTestId('call-task');
    expect(fakeApi.requests('callTool').map((r) => r.asTask)).toEqual([true, true]);
  });
});

describe('ToolCaller keeps each server’s form and result', () => {
  it('shows the typed form and the last result again after it was unmounted, per server', async () => {
    fakeApi.use({ callTool: ({ callId, arguments: args }) => ok(callId, `echo: ${String(args?.message)}`) });
    const first = render(<ToolCaller serverId="srv-1" tool={echo} />);
    fireEvent.change(screen.getByRole('textbox', { name: 'message' }), { target: { value: 'kept' } });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Timeout (seconds)' }), { target: { value: '7' } });
    run();
    await screen.findByText('echo: kept');
    first.unmount();

    // Another server's same tool starts empty.
    const other = render(<ToolCaller serverId="srv-2" tool={echo} />);
    expect((screen.getByRole('textbox', { name: 'message' }) as HTMLInputElement).value).toBe('');
    expect(screen.queryByRole('region', { name: 'Result' })).toBeNull();
    other.unmount();

    render(<ToolCaller serverId="srv-1" tool={echo} />);
    expect((screen.getByRole('textbox', { name: 'message' }) as HTMLInputElement).value).toBe('kept');
    expect((screen.getByRole('spinbutton', { name: 'Timeout (seconds)' }) as HTMLInputElement).value).toBe('7');
    expect(within(screen.getByRole('region', { name: 'Result' })).getByText('echo: kept')).toBeTruthy();
  });

  it('stores the result of a call that finishes while the form is not shown', async () => {
    const reply = deferred<CallToolResponse>();
    fakeApi.use({ callTool: () => reply.promise });
    const first = render(<ToolCaller serverId="srv-1" tool={echo} />);
    fireEvent.change(screen.getByRole('textbox', { name: 'message' }), { target: { value: 'slow' } });
    run();
    await screen.findByRole('button', { name: 'Cancel call' });
    first.unmount();
    const [request] = fakeApi.requests('callTool');
    await act(async () => reply.resolve(ok(request!.callId, 'late answer')));

    render(<ToolCaller serverId="srv-1" tool={echo} />);
    expect(within(screen.getByRole('region', { name: 'Result' })).getByText('late answer')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Run tool' })).toBeTruthy();
  });
});
