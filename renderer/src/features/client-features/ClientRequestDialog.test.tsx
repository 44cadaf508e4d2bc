import { act, render, screen, within } from '@testing-library/react';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClientRequestView } from '../../api';
import { fakeApi } from '../../test/fake-api';
import { ClientRequests } from './ClientRequestDialog';
import { useClientFeatures } from './store';

// A server's request made during a gateway call names the app whose call caused it.

const form = (over: Partial<ClientRequestView> = {}): ClientRequestView => ({
  requestId: 'r1',
  serverId: 's1',
  serverName: 'Files',
  kind: 'elicitation',
  receivedAt: 1,
  message: 'What is your name?',
  requestedSchema: { type: 'object', properties: { name: { type: 'string' } } },
  ...over,
});

beforeAll(() => {
  fakeApi.use({ listClientRequests: () => ({ requests: [] }) });
  useClientFeatures.getState().init();
});
beforeEach(() => useClientFeatures.setState({ requests: [], opened: [], completedEarly: [] }));

describe('client request dialogs', () => {
  it('name the gateway client whose call caused the request', () => {
    render(<ClientRequests />);
    act(() => fakeApi.emit('clientRequest', form({ clientName: 'Cursor' })));
    const d = screen.getByRole('dialog', { name: 'Files asks for information' });
    expect(within(d).getByTestId('request-client').textContent).toBe('Asked during a call by Cursor through the gateway.');
  });

  it('say nothing of a client when Switchboard itself made the call', () => {
    render(<ClientRequests />);
    act(() => fakeApi.emit('clientRequest', form()));
    const d = screen.getByRole('dialog', { name: 'Files asks for information' });
    expect(within(d).queryByTestId('request-client')).toBeNull();
  });
});
