import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { eventChannel, IpcError, methodChannel, methodNames, type Envelope } from '../../shared/contract';
import type { Core } from '../core/app-core';
import { isAppUrl } from './url-policy';

// Registers one handler per contract method. Every call is checked: the sender
// frame must exist, be the top frame, and show our own app page; then the core
// zod-parses the payload. While the app shuts down every call is refused, so
// nothing new (a server, a sign-in) starts behind the cleanup. Events go to the
// window we created, when there is one.

export function senderAllowed(event: IpcMainInvokeEvent, devServerUrl?: string): boolean {
  const frame = event.senderFrame;
  if (!frame) return false; // navigated away or destroyed
  if (frame.parent !== null) return false; // iframes never talk to main
  return isAppUrl(frame.url, devServerUrl);
}

export const shuttingDownError = () => new IpcError('SHUTTING_DOWN', 'Switchboard is quitting and no longer accepts requests. Start it again to continue.');

export function registerIpc(core: Pick<Core, 'dispatch'>, devServerUrl?: string, shuttingDown: () => boolean = () => false): () => void {
  for (const name of methodNames) {
    ipcMain.handle(methodChannel(name), async (event, request: unknown): Promise<Envelope> => {
      if (!senderAllowed(event, devServerUrl)) return { ok: false, error: new IpcError('FORBIDDEN_SENDER', 'This frame may not call Switchboard.').toShape() };
      if (shuttingDown()) return { ok: false, error: shuttingDownError().toShape() };
      return core.dispatch(name, request);
    });
  }
  return () => methodNames.forEach((name) => ipcMain.removeHandler(methodChannel(name)));
}

/** `target` returns the live window's contents, or undefined when there is no window. */
export function forwardEvents(core: Pick<Core, 'onEvent'>, target: () => Pick<WebContents, 'isDestroyed' | 'send'> | undefined): () => void {
  return core.onEvent((name, payload) => {
    // A listener that throws would surface in whatever core code emitted the event.
    try {
      const contents = target();
      if (contents && !contents.isDestroyed()) contents.send(eventChannel(name), payload);
    } catch {
      /* the window went away between the check and the send */
    }
  });
}
