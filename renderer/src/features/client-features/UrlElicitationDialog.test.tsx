import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IpcError, type ClientRequestView } from '../../api';
import { fakeApi } from '../../test/fake-api';
import { ClientRequests } from './ClientRequestDialog';
import { useClientFeatures } from './store';

// The URL-elicitation consent dialog against the fake core: the site, the reason and
// the address are shown and nothing is answered until the user chooses; a refused URL
// cannot be opened; an opened 2025-11-25 elicitation waits for its completion.

const view = (over: Partial<ClientRequestView['urlElicitation']> = {}, message = 'Sign in to Example Files to continue.'): ClientRequestView => ({
  requestId: 'r1',
  serverId: 's1',
  serverName: 'Files',
  kind: 'elicitation',
  receivedAt: 1,
  message,
  urlElicitation: { url: 'https://xn--pple-43d.com/login?x=1', origin: 'https://xn--pple-43d.com', unicodeHost: 'аpple.com', source: 'request', ...over },
});

const dialog = () => screen.getByRole('dialog', { name: 'Files asks you to open a web page' });

beforeAll(() => {
  fakeApi.use({ listClientRequests: () => ({ requests: [] }) });
  useClientFeatures.getState().init();
});
beforeEach(() => useClientFeatures.setState({ requests: [], opened: [], completedEarly: [] }));

describe('URL elicitation dialog', () => {
  it('shows the origin (punycode), its Unicode form, the reason and the full address; nothing is answered before a choice', () => {
    render(<ClientRequests />);
    act(() => fakeApi.emit('clientRequest', view()));
    const d = dialog();
    expect(within(d).getByTestId('url-origin').textContent).toContain('https://xn--pple-43d.com');
    expect(d.textContent).toContain('it may be displayed as аpple.com');
    expect(within(d).getByTestId('url-message').textContent).toContain('Sign in to Example Files to continue.');
    expect(within(d).getByTestId('url-full').textContent).toContain('https://xn--pple-43d.com/login?x=1');
    expect(fakeApi.requests('answerElicitation')).toEqual([]);
  });

  it('Open in browser answers accept; a 2025-11-25 elicitation then waits for the server and shows completed', async () => {
    fakeApi.use({ answerElicitation: () => ({ ok: true }) });
    render(<ClientRequests />);
    act(() => fakeApi.emit('clientRequest', view({ elicitationId: 'e1' })));
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Open in browser' }));
    await waitFor(() => expect(fakeApi.requests('answerElicitation')).toEqual([{ requestId: 'r1', action: 'accept' }]));
    const opened = await screen.findByRole('dialog', { name: 'Files: page opened in your browser' });
    expect(within(opened).getByTestId('url-elicitation-state').textContent).toContain('Waiting for Files to confirm');
    act(() => fakeApi.emit('urlElicitationComplete', { requestId: 'r1', serverId: 's1' }));
    expect(within(opened).getByTestId('url-elicitation-state').textContent).toContain('Completed');
    fireEvent.click(within(opened).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('without an elicitationId (2026-07-28) the dialog simply closes after opening', async () => {
    fakeApi.use({ answerElicitation: () => ({ ok: true }) });
    render(<ClientRequests />);
    act(() => fakeApi.emit('clientRequest', view()));
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Open in browser' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('Decline and Cancel answer so', async () => {
    fakeApi.use({ answerElicitation: () => ({ ok: true }) });
    render(<ClientRequests />);
    act(() => fakeApi.emit('clientRequest', view()));
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Decline' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    act(() => fakeApi.emit('clientRequest', { ...view(), requestId: 'r2' }));
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(fakeApi.requests('answerElicitation').map((r) => r.action)).toEqual(['decline', 'cancel']));
  });

  it('a refused URL has no Open button and says why; the reason text is shown as text', () => {
    render(<ClientRequests />);
    const hostile = view(
      {
        url: 'javascript:alert(1)',
        origin: undefined,
        unicodeHost: undefined,
        refused: 'Refusing to open the URL this server asked for: the "javascript:" scheme is not allowed',
      },
      '<img src=x onerror=alert(1)> [U+202E]',
    );
    act(() => fakeApi.emit('clientRequest', hostile));
    const d = dialog();
    expect(within(d).queryByRole('button', { name: 'Open in browser' })).toBeNull();
    expect(within(d).getByRole('alert').textContent).toContain('Switchboard will not open this address.');
    expect(within(d).getByTestId('url-message').textContent).toBe('<img src=x onerror=alert(1)> [U+202E]');
    expect(d.querySelector('img')).toBeNull();
    expect(d.querySelector('a')).toBeNull(); // the address is never a link
  });

  it('an error opening the URL stays in the dialog', async () => {
    fakeApi.use({
      answerElicitation: () => {
        throw new IpcError('VALIDATION', 'Refusing to open the URL this server asked for: it points at this computer');
      },
    });
    render(<ClientRequests />);
    act(() => fakeApi.emit('clientRequest', view()));
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Open in browser' }));
    expect((await within(dialog()).findByText(/it points at this computer/)).textContent).toMatch(/Refusing/);
  });
});
