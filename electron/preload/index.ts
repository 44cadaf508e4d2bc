import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { eventNames, methodNames } from '../../shared/contract';
import { buildBridge } from '../../shared/bridge';

// Exposes exactly the contract: one function per method, one subscribe per
// event. No generic invoke, no ipcRenderer, nothing else.

const api = buildBridge(
  methodNames,
  eventNames,
  (channel, request) => ipcRenderer.invoke(channel, request),
  (channel, listener) => {
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => ipcRenderer.removeListener(channel, wrapped);
  },
);

contextBridge.exposeInMainWorld('switchboard', api);
