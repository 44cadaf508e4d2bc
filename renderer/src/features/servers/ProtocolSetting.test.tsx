import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerView } from '../../api';
import { fakeApi } from '../../test/fake-api';
import { Overview } from './Overview';
import { ServerDialog } from './ServerDialog';

// The per-server protocol setting in the server dialog, and what the Overview
// says about the revision a connection negotiated.

const view = (patch: Partial<ServerView> = {}): ServerView => ({
  id: 's1',
  name: 'Notes',
  enabled: true,
  config: { transport: 'http', url: 'https://example.com/mcp', mode: 'auto', headers: [], omitResourceParameter: false },
  status: { state: 'connected', since: 0 },
  ...patch,
});

afterEach(() => fakeApi.reset());

describe('protocol setting', () => {
  it('defaults to Automatic with help text, and sends the choice', async () => {
    fakeApi.use({ updateServer: ({ serverId }) => ({ server: view({ id: serverId }) }) });
    render(<ServerDialog existing={view()} onClose={() => undefined} />);
    const select = screen.getByRole('combobox', { name: 'Protocol' }) as HTMLSelectElement;
    expect(select.value).toBe('auto');
    expect(select.getAttribute('aria-describedby')).toBeTruthy();
    expect(screen.getByText(/falls back to the 2025 initialize handshake/)).toBeTruthy();
    fireEvent.change(select, { target: { value: 'modern' } });
    expect(screen.getByText(/Speaks MCP 2026-07-28 only/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fakeApi.requests('updateServer')).toHaveLength(1));
    expect(fakeApi.requests('updateServer')[0]?.config).toMatchObject({ transport: 'http', protocol: 'modern' });
  });

  it('saving an edit keeps the stored connect timeout, which the dialog has no field for', async () => {
    fakeApi.use({ updateServer: ({ serverId }) => ({ server: view({ id: serverId }) }) });
    render(<ServerDialog existing={view({ config: { ...view().config, connectTimeoutSec: 90 } as ServerView['config'] })} onClose={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fakeApi.requests('updateServer')).toHaveLength(1));
    expect(fakeApi.requests('updateServer')[0]?.config).toMatchObject({ transport: 'http', connectTimeoutSec: 90 });
  });

  it('shows a stored setting when editing', () => {
    render(<ServerDialog existing={view({ config: { ...view().config, protocol: 'legacy' } as ServerView['config'] })} onClose={() => undefined} />);
    expect((screen.getByRole('combobox', { name: 'Protocol' }) as HTMLSelectElement).value).toBe('legacy');
  });

  it('the Overview shows the negotiated revision, its era and why', () => {
    render(
      <Overview
        server={view({
          info: {
            name: 'notes',
            version: '1',
            protocolVersion: '2025-11-25',
            era: 'legacy',
            eraReason: 'the server does not support server/discover; fell back to initialize',
            capabilities: {},
          },
        })}
      />,
    );
    expect(screen.getByText(/2025-11-25 \(legacy\)/)).toBeTruthy();
    expect(screen.getByText(/the server does not support server\/discover; fell back to initialize/)).toBeTruthy();
  });
});
