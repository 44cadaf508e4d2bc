import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerView } from '../../api';
import { fakeApi } from '../../test/fake-api';
import { ServerDetail } from './ServerDetail';
import { ServerDialog } from './ServerDialog';
import { useServers } from './store';

// The first minutes in the Add dialog and the states after it: a pasted line is
// split before saving, a pasted config goes to the import preview, Add connects,
// Starting is a progress row, and a failure is a card with next steps.

const stdio = (patch: Partial<ServerView> = {}): ServerView => ({
  id: 's1',
  name: 'memory',
  enabled: true,
  config: { transport: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'], env: [] },
  status: { state: 'stopped', since: Date.now() },
  ...patch,
});

const pasteInto = (field: HTMLElement, text: string) => fireEvent.paste(field, { clipboardData: { getData: () => text } });

afterEach(() => {
  fakeApi.reset();
  useServers.setState({ servers: {}, order: [], approval: undefined, tabRequest: undefined, landing: {} });
});

describe('Add server', () => {
  it('splits a pasted one-line command into program, arguments, variables and a name, shown before saving', () => {
    render(<ServerDialog onClose={() => undefined} />);
    pasteInto(screen.getByLabelText('Command'), `API_KEY=abc npx -y "@modelcontextprotocol/server-memory" --dir '/tmp/my notes'`);
    expect((screen.getByLabelText('Command') as HTMLInputElement).value).toBe('npx');
    expect((screen.getByLabelText('Arguments') as HTMLTextAreaElement).value).toBe('-y\n@modelcontextprotocol/server-memory\n--dir\n/tmp/my notes');
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('memory');
    expect((screen.getByLabelText('variable 1 name') as HTMLInputElement).value).toBe('API_KEY');
    expect(screen.getByRole('status').textContent).toBe('Split into the program npx and 4 arguments and 1 environment variable: check them below.');
    expect(fakeApi.requests('addServer')).toEqual([]);
  });

  it('offers to split a typed line, and refuses a shell pipeline with a reason', () => {
    render(<ServerDialog onClose={() => undefined} />);
    const command = screen.getByLabelText('Command');
    fireEvent.change(command, { target: { value: 'uvx mcp-server-git' } });
    expect(screen.getByRole('note', { name: 'How this line runs' }).textContent).toContain('This runs uvx with 1 argument');
    fireEvent.click(screen.getByRole('button', { name: 'Split into program and arguments' }));
    expect((command as HTMLInputElement).value).toBe('uvx');
    fireEvent.change(command, { target: { value: 'npx pkg | tee log' } });
    expect(screen.getByRole('note', { name: 'How this line runs' }).textContent).toContain('without a shell');
  });

  it('sends a pasted JSON config to the import preview instead of treating it as a command', async () => {
    fakeApi.use({
      previewPastedConfig: () => ({
        shape: 'vscode',
        problems: [],
        inputs: [],
        candidates: [
          {
            name: 'git',
            scope: 'user',
            becomes: { transport: 'stdio', command: 'uvx', args: ['mcp-server-git'], env: [] },
            nameTaken: false,
            needsInputs: [],
            problems: [],
          },
        ],
      }),
    });
    render(<ServerDialog onClose={() => undefined} />);
    const text = '{ "servers": { "git": { "command": "uvx", "args": ["mcp-server-git"] } } }';
    pasteInto(screen.getByLabelText('Command'), text);
    const preview = await screen.findByRole('dialog', { name: 'Import a pasted config' });
    expect(await within(preview).findByText('Pasted config')).toBeTruthy();
    expect(within(preview).getByText(/VS Code "servers"/)).toBeTruthy();
    expect((within(preview).getByRole('checkbox', { name: 'Import git' }) as HTMLInputElement).checked).toBe(true);
    expect(fakeApi.requests('previewPastedConfig')).toEqual([{ text }]);
  });

  it('Add connects a local server even when it is not set to connect at start', async () => {
    fakeApi.use({
      addServer: () => ({ server: stdio({ enabled: false }) }),
      connectServer: () => ({ server: stdio({ status: { state: 'connected', since: 1 } }) }),
    });
    render(<ServerDialog onClose={() => undefined} />);
    pasteInto(screen.getByLabelText('Command'), 'npx -y @modelcontextprotocol/server-memory');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Connect when Switchboard starts' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add server' }));
    await waitFor(() => expect(fakeApi.requests('connectServer')).toEqual([{ serverId: 's1' }]));
    expect(fakeApi.requests('addServer')[0]?.config).toMatchObject({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'], enabled: false });
    // Connected from Add: the detail view is asked to show Tools.
    await waitFor(() => expect(useServers.getState().tabRequest).toMatchObject({ serverId: 's1', tab: 'tools' }));
  });

  it('explains relative paths, and completes a bare remote address', () => {
    render(<ServerDialog onClose={() => undefined} />);
    fireEvent.change(screen.getByLabelText('Command'), { target: { value: './dist/index.js' } });
    expect(screen.getByRole('note', { name: 'Relative path warning' }).textContent).toContain('not on PATH');
    fireEvent.change(screen.getByLabelText('Arguments'), { target: { value: 'build/server.py' } });
    expect(screen.getByRole('note', { name: 'Relative argument warning' }).textContent).toContain('your home folder');
    fireEvent.change(screen.getByLabelText('Working directory'), { target: { value: '/home/ada/project' } });
    expect(screen.queryByRole('note', { name: 'Relative argument warning' })).toBeNull();

    fireEvent.click(screen.getByLabelText('Remote (HTTP)'));
    const url = screen.getByLabelText('Server URL') as HTMLInputElement;
    fireEvent.change(url, { target: { value: 'localhost:3000/mcp' } });
    fireEvent.blur(url);
    expect(url.value).toBe('http://localhost:3000/mcp');
    fireEvent.change(url, { target: { value: 'example.com/mcp' } });
    fireEvent.blur(url);
    expect(url.value).toBe('https://example.com/mcp');
    expect(screen.getByText(/Added https:\/\//)).toBeTruthy();
  });
});

describe('server states', () => {
  it('Starting is a neutral progress row with the timeout and Cancel, not an alert', async () => {
    fakeApi.use({ disconnectServer: () => ({ server: stdio() }) });
    const starting = stdio({ status: { state: 'starting', reason: 'Starting', since: Date.now() - 3000, timeoutSec: 30 } });
    useServers.setState({ servers: { s1: starting }, order: ['s1'] });
    render(<ServerDetail server={starting} />);
    const row = screen.getByRole('status', { name: 'Starting, gives up at 30 s' });
    expect(row.textContent).toMatch(/^Starting… 3 s \(gives up at 30 s\)$/);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Disconnect' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(fakeApi.requests('disconnectServer')).toEqual([{ serverId: 's1' }]));
  });

  it('a failure is a card with a next step, Open log, Copy command and Edit', () => {
    const failed = stdio({
      status: { state: 'error', since: 1, failure: 'timed-out', reason: 'Stopped by Switchboard after 30 s: the server did not finish initializing in time.' },
    });
    useServers.setState({ servers: { s1: failed }, order: ['s1'] });
    fakeApi.use({ getServerLog: () => ({ lines: [] }) });
    render(<ServerDetail server={failed} />);
    const card = screen.getByRole('region', { name: 'What went wrong' });
    expect(within(card).getByRole('alert').textContent).toContain('Stopped by Switchboard after 30 s');
    expect(card.textContent).toContain('may still be downloading');
    expect(within(card).getByRole('button', { name: 'Copy command' })).toBeTruthy();
    fireEvent.click(within(card).getByRole('button', { name: 'Open log' }));
    expect(screen.getByRole('tab', { name: 'Logs' }).getAttribute('aria-selected')).toBe('true');
    fireEvent.click(within(card).getByRole('button', { name: 'Edit' }));
    expect(screen.getByRole('dialog', { name: 'Edit memory' })).toBeTruthy();
  });
});
