import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DesktopSettingsView } from '../../api';
import { IpcError } from '../../api';
import { deferred, fakeApi } from '../../test/fake-api';
import { DesktopSettings } from './DesktopSettings';

// The desktop section of Settings against the fake core: switches, launch at
// login where the OS has it (and why not where it does not), the two actions.

const settings = (over: Partial<DesktopSettingsView> = {}): DesktopSettingsView => ({
  notifications: { serverCrashed: true, signInNeeded: true, toolsChanged: true, clientConfigChanged: true },
  notificationsAvailable: { supported: true },
  launchAtLogin: false,
  launchAtLoginAvailable: { supported: true },
  dataFolderAvailable: true,
  diagnosticsAvailable: true,
  ...over,
});

describe('DesktopSettings', () => {
  it('switches one notification off, and shows what the core stored', async () => {
    fakeApi.use({
      getDesktopSettings: () => settings(),
      setDesktopSettings: (patch) => settings({ notifications: { ...settings().notifications, ...patch.notifications } }),
    });
    render(<DesktopSettings />);
    const box = await screen.findByRole('checkbox', { name: 'A server changed its tools' });
    expect((box as HTMLInputElement).checked).toBe(true);
    fireEvent.click(box);
    await act(async () => undefined);
    expect(fakeApi.requests('setDesktopSettings')).toEqual([{ notifications: { toolsChanged: false } }]);
    expect((screen.getByRole('checkbox', { name: 'A server changed its tools' }) as HTMLInputElement).checked).toBe(false);
    expect((screen.getByRole('checkbox', { name: 'A server crashed and Switchboard stopped restarting it' }) as HTMLInputElement).checked).toBe(true);
  });

  it('turns launch at login on; where the OS has none, the switch is disabled and says why', async () => {
    fakeApi.use({ getDesktopSettings: () => settings(), setDesktopSettings: () => settings({ launchAtLogin: true }) });
    const { unmount } = render(<DesktopSettings />);
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Open Switchboard when you log in' }));
    await act(async () => undefined);
    expect(fakeApi.requests('setDesktopSettings')).toEqual([{ launchAtLogin: true }]);
    expect((screen.getByRole('checkbox', { name: 'Open Switchboard when you log in' }) as HTMLInputElement).checked).toBe(true);
    unmount();

    const reason = 'Linux has no standard way for an app to add itself; add Switchboard to your desktop’s startup applications.';
    fakeApi.use({ getDesktopSettings: () => settings({ launchAtLoginAvailable: { supported: false, reason } }) });
    render(<DesktopSettings />);
    const box = (await screen.findByRole('checkbox', { name: 'Open Switchboard when you log in' })) as HTMLInputElement;
    expect(box.disabled).toBe(true);
    expect(box.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(box.getAttribute('aria-describedby')!)!.textContent).toBe(reason);
  });

  it('exports diagnostics with progress and says where they went; shows a failure as an alert', async () => {
    const pending = deferred<{ saved: boolean; path?: string; files: string[] }>();
    fakeApi.use({ getDesktopSettings: () => settings(), exportDiagnostics: () => pending.promise, showDataFolder: () => ({ opened: true }) });
    render(<DesktopSettings />);
    fireEvent.click(await screen.findByRole('button', { name: 'Export diagnostics…' }));
    expect(await screen.findByRole('button', { name: 'Exporting diagnostics…' })).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Show data folder' }) as HTMLButtonElement).disabled).toBe(true);
    await act(async () => pending.resolve({ saved: true, path: '/tmp/d.zip', files: ['a', 'b'] }));
    expect(screen.getByRole('status').textContent).toBe('Diagnostics saved to /tmp/d.zip (2 files, secrets and tokens removed).');
    fireEvent.click(screen.getByRole('button', { name: 'Show data folder' }));
    await act(async () => undefined);
    expect(fakeApi.requests('showDataFolder')).toEqual([{}]);

    fakeApi.use({
      exportDiagnostics: () => {
        throw new IpcError('INTERNAL', 'disk full');
      },
      showDataFolder: () => ({ opened: false, error: 'The data folder could not be opened: no file manager' }),
    });
    fireEvent.click(screen.getByRole('button', { name: 'Export diagnostics…' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Diagnostics could not be exported: disk full');
    fireEvent.click(screen.getByRole('button', { name: 'Show data folder' }));
    expect((await screen.findByRole('alert')).textContent).toContain('no file manager');
  });

  it('without the desktop shell the actions are disabled and notifications say why', async () => {
    fakeApi.use({
      getDesktopSettings: () =>
        settings({
          dataFolderAvailable: false,
          diagnosticsAvailable: false,
          notificationsAvailable: { supported: false, reason: 'Notifications are not available here.' },
        }),
    });
    render(<DesktopSettings />);
    expect(((await screen.findByRole('button', { name: 'Show data folder' })) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Export diagnostics…' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('Notifications are not available here.')).toBeTruthy();
  });
});

describe('DesktopSettings failures', () => {
  it('a refused change puts the switch back and says why', async () => {
    fakeApi.use({
      getDesktopSettings: () => settings(),
      setDesktopSettings: () => {
        throw new IpcError('VALIDATION', 'The system refused the login item.');
      },
    });
    render(<DesktopSettings />);
    const box = (await screen.findByRole('checkbox', { name: 'Open Switchboard when you log in' })) as HTMLInputElement;
    fireEvent.click(box);
    expect((await screen.findByRole('alert')).textContent).toContain('The system refused the login item.');
    expect(box.checked).toBe(false);
  });
});
