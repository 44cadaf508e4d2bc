import type { updatesMethods } from '../../../shared/contract';
import type { FeatureHandlers } from '../ipc/dispatch';
import type { UpdateService } from './update-service';

export function updatesHandlers({ updates }: { updates: UpdateService }): FeatureHandlers<typeof updatesMethods> {
  return {
    getUpdateStatus: () => updates.status(),
    setUpdateSettings: (change) => updates.setSettings(change),
    checkForUpdates: () => updates.check(),
    downloadUpdate: () => updates.download(),
    cancelUpdateDownload: () => updates.cancelDownload(),
    installUpdate: (request) => updates.install(request),
  };
}
