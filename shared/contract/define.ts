import type { z } from 'zod';

// One declaration per IPC method and per event. The preload, the main-process
// handler registry, the renderer client and the e2e bridge all derive from it.

export interface MethodDef<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly request: Req;
  readonly response: Res;
}

export interface EventDef<P extends z.ZodType = z.ZodType> {
  readonly payload: P;
}

export const method = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res): MethodDef<Req, Res> => ({ request, response });

export const event = <P extends z.ZodType>(payload: P): EventDef<P> => ({ payload });

/** Channel names are namespaced so nothing else on ipcMain can collide with them. */
export const methodChannel = (name: string): string => `switchboard:call:${name}`;
export const eventChannel = (name: string): string => `switchboard:event:${name}`;

/** `onServerChanged` for the event `serverChanged`. */
export const eventListenerName = (name: string): string => `on${name[0]!.toUpperCase()}${name.slice(1)}`;
