import type { ReactNode } from 'react';
import type { ServerView } from '../../api';
import { GrantPanel } from '../auth';
import { RootsPanel } from '../client-features';
import { PromptsPanel } from '../prompts';
import { ResourcesPanel } from '../resources';
import { TasksPanel } from '../tasks';
import { ToolsPanel } from '../tools';
import { TrafficPanel } from '../traffic';
import { LogsPanel } from './LogsPanel';
import { Overview } from './Overview';

// The tabs of a server's detail view, in order. A tab with `visible` shows
// only for the servers it accepts.

export interface ServerTab {
  id: string;
  /** A function gets the server and its tool count. */
  label: string | ((server: ServerView, toolCount: number) => string);
  Panel: (props: { server: ServerView }) => ReactNode;
  visible?: (server: ServerView) => boolean;
}

export const serverTabs: ServerTab[] = [
  { id: 'overview', label: 'Overview', Panel: Overview },
  { id: 'tools', label: (server, count) => (server.status.state === 'connected' ? `Tools (${count})` : 'Tools'), Panel: ToolsPanel },
  { id: 'sign-in', label: 'Sign-in', Panel: GrantPanel, visible: (server) => server.config.transport === 'http' },
  { id: 'resources', label: 'Resources', Panel: ({ server }) => <ResourcesPanel key={server.id} server={server} /> },
  { id: 'prompts', label: 'Prompts', Panel: ({ server }) => <PromptsPanel key={server.id} server={server} /> },
  { id: 'tasks', label: 'Tasks', Panel: ({ server }) => <TasksPanel key={server.id} server={server} /> },
  { id: 'roots', label: 'Roots', Panel: ({ server }) => <RootsPanel key={server.id} server={server} /> },
  { id: 'traffic', label: 'Traffic', Panel: ({ server }) => <TrafficPanel key={server.id} server={server} /> },
  { id: 'log', label: 'Logs', Panel: ({ server }) => <LogsPanel key={server.id} server={server} /> },
];
