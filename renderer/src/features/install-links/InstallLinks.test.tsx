import { act, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fakeApi } from '../../test/fake-api';
import { ServerDialog, useServers } from '../servers';
import { InstallLinkRefusal } from './InstallLinkRefusal';
import { useInstallLinks } from './store';

// What App renders for an install link: the Add-server dialog, prefilled, with
// the notice; or why the link was refused. Nothing is added on the way.

function Shell() {
  const { addPrefill, closeAddServer } = useServers();
  return (
    <>
      <InstallLinkRefusal />
      {addPrefill && <ServerDialog key={addPrefill.key} prefill={addPrefill} onClose={closeAddServer} />}
    </>
  );
}

beforeAll(() => useInstallLinks.getState().init());
afterEach(() => {
  fakeApi.reset();
  useServers.setState({ addPrefill: undefined });
  useInstallLinks.setState({ refused: undefined });
});

describe('install links in the window', () => {
  it('a link event opens the Add-server dialog prefilled, with the notice, and adds nothing', async () => {
    fakeApi.use({
      takeInstallLink: () => ({
        link: {
          ok: true,
          source: 'cursor',
          warnings: ['Type the value of "API_KEY" yourself: it looks secret, so the link’s value is not used.'],
          server: {
            transport: 'stdio',
            name: 'postgres',
            command: 'npx',
            args: ['-y', 'server-postgres'],
            env: [
              { name: 'LOG', secret: false, value: 'debug' },
              { name: 'API_KEY', secret: true },
            ],
          },
        },
      }),
    });
    render(<Shell />);
    act(() => fakeApi.emit('installLinkReceived', {}));
    expect(await screen.findByText('From a link (Cursor format): review everything before adding. Nothing runs until you approve the command.')).toBeTruthy();
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('postgres');
    expect((screen.getByLabelText('Command') as HTMLInputElement).value).toBe('npx');
    expect((screen.getByLabelText('Arguments') as HTMLTextAreaElement).value).toBe('-y\nserver-postgres');
    expect((screen.getByLabelText('variable 2 value') as HTMLInputElement).value).toBe('');
    expect((screen.getByLabelText('variable 2 value') as HTMLInputElement).type).toBe('password');
    expect(screen.getByText(/Type the value of "API_KEY" yourself/)).toBeTruthy();
    expect(fakeApi.requests('addServer')).toEqual([]);
  });

  it('a refused link shows why', async () => {
    fakeApi.use({ takeInstallLink: () => ({ link: { ok: false, reason: 'This install link was refused: it is longer than 64 KB.' } }) });
    render(<Shell />);
    act(() => fakeApi.emit('installLinkReceived', {}));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('longer than 64 KB'));
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
