import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { eventChannel, IpcError, methodChannel, methodNames, type Envelope } from '../../shared/contract';
import type { Core } from '../core/app-core';
import { isAppUrl } from './url-policy';

// Registers one handler per contract method. Every call is checked: the sender
// frame must exist, be the top frame, and show our own app page; then the core
// zod-parses the payload. Events go to the windows we created.

export function senderAllowed(event: IpcMainInvokeEvent, devServerUrl?: string): boolean {
  const frame = event.senderFrame;
  if (!frame) return false; // navigated away or destroyed
  if (frame.parent !== null) return false; // iframes never talk to main
  return isAppUrl(frame.url, devServerUrl);
}

export function registerIpc(core: Core, devServerUrl?: string): () => void {
  for (const name of methodNames) {
    ipcMain.handle(methodChannel(name), async (event, request: unknown): Promise<Envelope> => {
      if (!senderAllowed(event, devServerUrl)) return { ok: false, error: new IpcError('FORBIDDEN_SENDER', 'This frame may not call Switchboard.').toShape() };
      return core.dispatch(name, request);
    });
  }
  return () => methodNames.forEach((name) => ipcMain.removeHandler(methodChannel(name)));
}

export function forwardEvents(core: Core, target: () => WebContents | undefined): () => void {
  return core.onEvent((name, payload) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(eventChannel(name), payload);
  });
}
