import { createClient, type SwitchboardBridge } from '../../shared/bridge';
import type { SwitchboardApi } from '../../shared/contract';

declare global {
  interface Window {
    switchboard: SwitchboardBridge;
  }
}

/** The only way the renderer talks to the rest of the app. */
export const api: SwitchboardApi = createClient(window.switchboard);

export { IpcError } from '../../shared/contract/ipc-error';
export type * from '../../shared/contract';

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
