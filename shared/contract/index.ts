import type { z } from 'zod';
import { appMethods } from './app';
import { authEvents, authMethods } from './auth';
import { serversEvents, serversMethods } from './servers';
import { toolsEvents, toolsMethods } from './tools';
import { resourcesEvents, resourcesMethods } from './resources';
import { promptsMethods } from './prompts';
import { clientFeaturesEvents, clientFeaturesMethods } from './client-features';
import { historyEvents, historyMethods } from './history';
import { trafficEvents, trafficMethods } from './traffic';
import { settingsMethods } from './settings';
import { clientConfigsEvents, clientConfigsMethods } from './client-configs';
import { installLinksEvents, installLinksMethods } from './install-links';
import { registryMethods } from './registry';
import { gatewayEvents, gatewayMethods } from './gateway';
import { tasksEvents, tasksMethods } from './tasks';
import { updatesEvents, updatesMethods } from './updates';
import { mcpAppsMethods } from './mcp-apps';
import { desktopEvents, desktopMethods } from './desktop';
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
export * from './install-links';
export * from './registry';
export * from './gateway';
export * from './tasks';
export * from './updates';
export * from './mcp-apps';
export * from './desktop';

// Every IPC method and event, declared once. Feature files add their own maps here.
export const methods = {
  ...appMethods,
  ...serversMethods,
  ...toolsMethods,
  ...resourcesMethods,
  ...promptsMethods,
  ...clientFeaturesMethods,
  ...historyMethods,
  ...trafficMethods,
  ...authMethods,
  ...settingsMethods,
  ...clientConfigsMethods,
  ...installLinksMethods,
  ...registryMethods,
  ...gatewayMethods,
  ...tasksMethods,
  ...updatesMethods,
  ...mcpAppsMethods,
  ...desktopMethods,
} satisfies Record<string, MethodDef>;

export const events = {
  ...serversEvents,
  ...toolsEvents,
  ...resourcesEvents,
  ...clientFeaturesEvents,
  ...historyEvents,
  ...trafficEvents,
  ...authEvents,
  ...installLinksEvents,
  ...clientConfigsEvents,
  ...gatewayEvents,
  ...tasksEvents,
  ...desktopEvents,
  ...updatesEvents,
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
