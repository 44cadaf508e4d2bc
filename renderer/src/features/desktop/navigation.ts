import { useEffect } from 'react';
import { api, type DesktopTarget } from '../../api';

/** Follows the main process's "show this view" requests (a notification or a tray item was clicked). */
export function useDesktopNavigation(onNavigate: (target: DesktopTarget) => void): void {
  useEffect(() => {
    const unsubscribe = api.onDesktopNavigate(({ target }) => onNavigate(target));
    // A window opened by the click itself missed the event.
    api.takeDesktopNavigation({}).then(
      ({ target }) => target && onNavigate(target),
      () => undefined,
    );
    return unsubscribe;
  }, [onNavigate]);
}
