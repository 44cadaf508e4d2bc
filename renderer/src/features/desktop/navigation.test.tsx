import { act, render } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { DesktopTarget } from '../../api';
import { fakeApi } from '../../test/fake-api';
import { useDesktopNavigation } from './navigation';

// Notification and tray clicks reach the window: as an event while it is open,
// or taken once when the click had to open the window first.

function Probe({ onNavigate }: { onNavigate: (target: DesktopTarget) => void }) {
  useDesktopNavigation(onNavigate);
  return null;
}

describe('useDesktopNavigation', () => {
  it('follows desktopNavigate events and stops when unmounted', async () => {
    const onNavigate = vi.fn();
    const { unmount } = render(<Probe onNavigate={onNavigate} />);
    await act(async () => undefined);
    act(() => fakeApi.emit('desktopNavigate', { target: { view: 'server', serverId: 's1' } }));
    expect(onNavigate).toHaveBeenCalledWith({ view: 'server', serverId: 's1' });
    unmount();
    act(() => fakeApi.emit('desktopNavigate', { target: { view: 'settings' } }));
    expect(onNavigate).toHaveBeenCalledOnce();
  });

  it('takes a navigation the window missed while it was opening', async () => {
    fakeApi.use({ takeDesktopNavigation: () => ({ target: { view: 'settings' } }) });
    const onNavigate = vi.fn();
    render(<Probe onNavigate={onNavigate} />);
    await act(async () => undefined);
    expect(onNavigate).toHaveBeenCalledWith({ view: 'settings' });
  });
});
