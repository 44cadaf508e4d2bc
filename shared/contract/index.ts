import type { z } from 'zod';
import { appMethods } from './app';
import { authEvents, authMethods } from './auth';
import { serverEvents, serverMethods } from './servers';
import { toolEvents, toolMethods } from './tools';
import { resourceEvents, resourceMethods } from './resources';
import { promptMethods } from './prompts';
import { clientFeatureEvents, clientFeatureMethods } from './client-features';
import { historyEvents, historyMethods } from './history';
import { trafficEvents, trafficMethods } from './traffic';
import { settingsMethods } from './settings';
import { clientConfigsMethods } from './client-configs';
import type { EventDef, MethodDef } from './define';

export * from './define';
export * from './errors';
export * from './app';
export * from './servers';
export * from './tools';
export * from './resources';
export * from './prompts';
export * from './client-features';
export * from './history';
export * from './traffic';
export * from './auth';
export * from './settings';
export * from './client-configs';

// Every IPC method and event, declared once. Feature files add their own maps here.
export const methods = {
  ...appMethods,
  ...serverMethods,
  ...toolMethods,
  ...resourceMethods,
  ...promptMethods,
  ...clientFeatureMethods,
  ...historyMethods,
  ...trafficMethods,
  ...authMethods,
  ...settingsMethods,
  ...clientConfigsMethods,
} satisfies Record<string, MethodDef>;

export const events = {
  ...serverEvents,
  ...toolEvents,
  ...resourceEvents,
  ...clientFeatureEvents,
  ...historyEvents,
  ...trafficEvents,
  ...authEvents,
} satisfies Record<string, EventDef>;

export type Methods = typeof methods;
export type Events = typeof events;
export type MethodName = keyof Methods;
export type EventName = keyof Events;

export type RequestOf<M extends MethodName> = z.input<Methods[M]['request']>;
export type ParsedRequestOf<M extends MethodName> = z.output<Methods[M]['request']>;
export type ResponseOf<M extends MethodName> = z.output<Methods[M]['response']>;
export type PayloadOf<E extends EventName> = z.output<Events[E]['payload']>;

type ListenerKey<E extends string> = `on${Capitalize<E>}`;

/** What `window.switchboard` is: one async function per method, one subscribe function per event. */
export type SwitchboardApi = { [M in MethodName]: (request: RequestOf<M>) => Promise<ResponseOf<M>> } & {
  [E in EventName as ListenerKey<E>]: (listener: (payload: PayloadOf<E>) => void) => () => void;
};

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];
