import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { IpcError, type HistoryRecordView, type HistorySummaryView } from '../../api';
import { fakeApi } from '../../test/fake-api';
import { HistoryView } from './HistoryView';
import { useHistory } from './store';

// The history list against the fake core: what it asks for (filters, pages,
// one record), and what the user sees.

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);

const summary = (id: string, patch: Partial<HistorySummaryView> = {}): HistorySummaryView => ({
  id,
  serverId: 'srv-a',
  serverName: 'Alpha',
  tool: 'echo',
  status: 'ok',
  startedAt: T0,
  durationMs: 12,
  argumentsPreview: '{"message":"hi"}',
  ...patch,
});

const records = [
  summary('h1'),
  summary('h2', { serverId: 'srv-b', serverName: 'Beta', tool: 'add', status: 'error', errorMessage: 'boom', startedAt: T0 - 60_000 }),
];

const rowName = (r: HistorySummaryView, status: string) => `${r.tool} on ${r.serverName}, ${status}, ${new Date(r.startedAt).toLocaleString()}`;
const list = () => screen.getByRole('list', { name: 'History records' });
const lastQuery = () => fakeApi.requests('queryHistory').at(-1);

beforeAll(() => {
  // What App does at start; HistoryView refetches when the core says history grew.
  useHistory.getState().init();
});

beforeEach(() => {
  useHistory.setState(useHistory.getInitialState(), true);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('HistoryView', () => {
  it('says so when there is nothing recorded', async () => {
    render(<HistoryView />);
    expect((await screen.findByRole('status', { name: 'Matching records' })).textContent).toBe('0 records');
    // Nothing recorded yet: what makes a record.
    expect(screen.getByText(/^No calls yet\. Run a tool from a server’s Tools tab/)).toBeTruthy();
    expect(screen.queryByRole('list', { name: 'History records' })).toBeNull();
  });

  it('lists the records from queryHistory, newest first as the core sends them', async () => {
    fakeApi.use({ queryHistory: () => ({ total: 2, records }) });
    render(<HistoryView />);
    await waitFor(() => expect(screen.getByRole('status', { name: 'Matching records' }).textContent).toBe('2 records'));
    const rows = within(list()).getAllByRole('button');
    expect(rows.map((b) => b.getAttribute('aria-label'))).toEqual([rowName(records[0]!, 'ok'), rowName(records[1]!, 'error')]);
    expect(rows[0]!.closest('li')!.textContent).toContain('{"message":"hi"}');
    expect(lastQuery()).toEqual({ offset: 0, limit: 200 });
  });

  it('asks the core again with the filters the user sets: text, status and server', async () => {
    fakeApi.use({
      historyFacets: () => ({
        servers: [
          { id: 'srv-a', name: 'Alpha', count: 1 },
          { id: 'srv-b', name: 'Beta', count: 1 },
        ],
        tools: [{ name: 'add', count: 1 }],
        statuses: [],
      }),
      queryHistory: ({ text, status, serverId }) => {
        const hits = records.filter((r) => (!text || r.tool.includes(text)) && (!status || r.status === status) && (!serverId || r.serverId === serverId));
        return { total: hits.length, records: hits };
      },
    });
    render(<HistoryView />);
    const count = () => screen.getByRole('status', { name: 'Matching records' }).textContent;
    await waitFor(() => expect(count()).toBe('2 records'));

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search history' }), { target: { value: 'ad' } });
    await waitFor(() => expect(count()).toBe('1 record'));
    expect(lastQuery()).toEqual({ text: 'ad', offset: 0, limit: 200 });
    expect(within(list()).getByRole('button', { name: rowName(records[1]!, 'error') })).toBeTruthy();

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search history' }), { target: { value: '' } });
    await waitFor(() => expect(count()).toBe('2 records'));
    fireEvent.change(screen.getByRole('combobox', { name: 'Filter by status' }), { target: { value: 'ok' } });
    await waitFor(() => expect(count()).toBe('1 record'));
    expect(lastQuery()).toEqual({ status: 'ok', offset: 0, limit: 200 });

    const server = screen.getByRole('combobox', { name: 'Filter by server' });
    await within(server).findByRole('option', { name: 'Beta (1)' });
    fireEvent.change(server, { target: { value: 'srv-b' } });
    await waitFor(() => expect(count()).toBe('0 records'));
    expect(lastQuery()).toEqual({ status: 'ok', serverId: 'srv-b', offset: 0, limit: 200 });
    // Filtered to nothing: how to see every call again.
    expect(screen.getByText(/^No call matches these filters\./)).toBeTruthy();

    fireEvent.change(screen.getByRole('combobox', { name: 'Filter by tool' }), { target: { value: 'add' } });
    await waitFor(() => expect(lastQuery()).toEqual({ status: 'ok', serverId: 'srv-b', tool: 'add', offset: 0, limit: 200 }));
  });

  it('opens a record: fetches it and shows its request and response', async () => {
    const full: HistoryRecordView = {
      id: 'h1',
      serverId: 'srv-a',
      serverName: 'Alpha',
      tool: 'echo',
      status: 'ok',
      startedAt: T0,
      durationMs: 12.34,
      arguments: { message: 'hi', nested: { n: 1 } },
      result: { content: [{ type: 'text', text: 'echo: hi' }] },
    };
    fakeApi.use({ queryHistory: () => ({ total: 2, records }), getHistoryRecord: ({ id }) => ({ record: { ...full, id } }) });
    render(<HistoryView />);
    fireEvent.click(await screen.findByRole('button', { name: rowName(records[0]!, 'ok') }));

    const details = await screen.findByRole('complementary', { name: 'Call details' });
    await within(details).findByRole('region', { name: 'Request' });
    expect(fakeApi.requests('getHistoryRecord')).toEqual([{ id: 'h1' }]);
    expect(JSON.parse(within(details).getByRole('region', { name: 'Request' }).querySelector('pre')!.textContent!)).toEqual(full.arguments);
    expect(within(within(details).getByRole('region', { name: 'Response' })).getByText('echo: hi')).toBeTruthy();
    expect(within(details).getByTestId('record-status').textContent).toBe('ok');

    fireEvent.click(within(details).getByRole('button', { name: 'Close details' }));
    expect(screen.queryByRole('complementary', { name: 'Call details' })).toBeNull();
  });

  it('shows the error of a failed call, and a record that is gone', async () => {
    fakeApi.use({
      queryHistory: () => ({ total: 2, records }),
      getHistoryRecord: ({ id }) => {
        if (id === 'h1') throw new IpcError('NOT_FOUND', 'No history record h1.');
        return {
          record: {
            id,
            serverId: 'srv-b',
            serverName: 'Beta',
            tool: 'add',
            status: 'error',
            startedAt: T0,
            durationMs: 3,
            arguments: { a: 1 },
            error: { code: -32603, message: 'boom' },
          },
        };
      },
    });
    render(<HistoryView />);
    fireEvent.click(await screen.findByRole('button', { name: rowName(records[1]!, 'error') }));
    const response = await screen.findByRole('region', { name: 'Response' });
    expect(within(response).getByRole('alert').textContent).toBe('-32603: boom');

    fireEvent.click(screen.getByRole('button', { name: rowName(records[0]!, 'ok') }));
    const details = screen.getByRole('complementary', { name: 'Call details' });
    expect((await within(details).findByRole('alert')).textContent).toBe('No history record h1.');
    expect(within(details).queryByRole('region', { name: 'Request' })).toBeNull();
  });

  it('refetches when the core reports new records', async () => {
    let total = 1;
    fakeApi.use({ queryHistory: () => ({ total, records: records.slice(0, total) }) });
    render(<HistoryView />);
    await waitFor(() => expect(screen.getByRole('status', { name: 'Matching records' }).textContent).toBe('1 record'));
    total = 2;
    act(() => fakeApi.emit('historyAppended', { count: 1, total: 2 }));
    await waitFor(() => expect(screen.getByRole('status', { name: 'Matching records' }).textContent).toBe('2 records'));
    expect(within(list()).getAllByRole('button')).toHaveLength(2);
  });

  it('exports through exportHistory and downloads the JSON it returns', async () => {
    const json = JSON.stringify([{ id: 'h1' }]);
    fakeApi.use({ exportHistory: () => ({ json, count: 1 }) });
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:fake';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const downloads: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push(this.download);
    });
    render(<HistoryView />);
    fireEvent.click(screen.getByRole('button', { name: 'Export JSON' }));

    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(fakeApi.requests('exportHistory')).toEqual([{}]);
    expect(downloads[0]).toMatch(/^switchboard-history-\d{4}-\d{2}-\d{2}\.json$/);
    expect(blobs[0]?.type).toBe('application/json');
    expect(await blobs[0]?.text()).toBe(json);
    expect(screen.getByRole('button', { name: 'Export JSON' })).toBeTruthy();
  });

  it('shows why an export failed', async () => {
    fakeApi.use({
      exportHistory: () => {
        throw new IpcError('INTERNAL', 'The history file could not be read.');
      },
    });
    render(<HistoryView />);
    fireEvent.click(screen.getByRole('button', { name: 'Export JSON' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The history file could not be read.');
  });
});
