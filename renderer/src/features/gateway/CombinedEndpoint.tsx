import { useState } from 'react';
import type { GatewayClientView, GatewayView, ServerView } from '../../api';

// A client's combined endpoint: its address, and how each server's tools are
// named there (<prefix>__<tool>), with a button to copy the address.

export function combinedUrl(gateway: GatewayView): string {
  return `${gateway.address ?? 'http://127.0.0.1:<port>'}/mcp`;
}

export function CombinedEndpoint({ gateway, client, servers }: { gateway: GatewayView; client: GatewayClientView; servers: ServerView[] }) {
  const [copied, setCopied] = useState<string>();
  const url = combinedUrl(gateway);
  const nameOf = (id: string) => servers.find((s) => s.id === id)?.name ?? id;
  // In the server list's order.
  const at = (id: string) => servers.findIndex((s) => s.id === id) >>> 0;
  const prefixes = [...(client.prefixes ?? [])].sort((a, b) => at(a.serverId) - at(b.serverId));
  return (
    <div className="gateway-combined" role="group" aria-label={`Combined endpoint of ${client.name}`}>
      <p>
        One combined endpoint: <code data-testid="gateway-combined-url">{url}</code>{' '}
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard.writeText(url).then(
              () => setCopied('Copied the address.'),
              () => setCopied('Could not copy: select the address instead.'),
            )
          }
        >
          Copy address
        </button>{' '}
        <span role="status">{copied ?? ''}</span>
      </p>
      {prefixes.length > 0 && (
        <p className="hint">
          Tools and prompts are named{' '}
          {prefixes.map((p, i) => (
            <span key={p.serverId}>
              {i > 0 && ', '}
              <code>{p.prefix}__…</code> for {nameOf(p.serverId)}
            </span>
          ))}
          . Servers that are not running are left out until they connect.
        </p>
      )}
    </div>
  );
}
