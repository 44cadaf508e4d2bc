import { useEffect } from 'react';
import { extraTabs } from '../servers/ServerDetail';
import { ClientPanel } from './ClientPanel';
import { ClientRequests } from './ClientRequestDialog';
import { PromptsPanel } from './PromptsPanel';
import { ResourcesPanel } from './ResourcesPanel';
import { ToolsPanel } from './ToolsPanel';
import { TrafficPanel } from './TrafficPanel';
import { useInspect } from './store';

// The inspector's tabs in the server detail ('tools' replaces the plain list),
// and the app-level pieces (event subscriptions, server->client requests).

let registered = false;
export function registerInspectTabs(): void {
  if (registered) return;
  registered = true;
  extraTabs.push(
    { id: 'tools', label: 'Tools', render: (server) => <ToolsPanel server={server} /> },
    { id: 'resources', label: 'Resources', render: (server) => <ResourcesPanel key={server.id} server={server} /> },
    { id: 'prompts', label: 'Prompts', render: (server) => <PromptsPanel key={server.id} server={server} /> },
    { id: 'client', label: 'Roots & logging', render: (server) => <ClientPanel key={server.id} server={server} /> },
    { id: 'traffic', label: 'Traffic', render: (server) => <TrafficPanel key={server.id} server={server} /> },
  );
}
registerInspectTabs();

export function InspectRoot() {
  const init = useInspect((s) => s.init);
  useEffect(() => init(), [init]);
  return <ClientRequests />;
}
