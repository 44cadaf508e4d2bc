import type { desktopMethods } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';
import type { FeatureHandlers } from '../ipc/dispatch';
import type { DesktopService } from './desktop-service';

export interface DesktopHandlersDeps {
  desktop: DesktopService;
}

export function desktopHandlers({ desktop }: DesktopHandlersDeps): FeatureHandlers<typeof desktopMethods> {
  return {
    getDesktopSettings: async () => desktop.view(),
    setDesktopSettings: async (patch) => {
      try {
        return desktop.update(patch);
      } catch (error) {
        throw new IpcError('VALIDATION', (error as Error).message);
      }
    },
    takeDesktopNavigation: async () => ({ target: desktop.takeNavigation() }),
    showDataFolder: () => desktop.showDataFolder(),
    exportDiagnostics: () => desktop.exportDiagnostics(),
  };
}
