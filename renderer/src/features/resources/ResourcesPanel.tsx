import { useCallback, useEffect, useState } from 'react';
import { ErrorNote } from '../../components/ErrorNote';
import { api, errorMessage, type ResourceContentView, type ResourceTemplateView, type ResourceView, type ServerView } from '../../api';
import { BlobContent } from '../../components/ContentBlocks';
import { useResources } from './store';

export function ResourcesPanel({ server }: { server: ServerView }) {
  const serverId = server.id;
  const connected = server.status.state === 'connected';
  const version = useResources((s) => s.listVersion[serverId] ?? 0);
  const [resources, setResources] = useState<ResourceView[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [templates, setTemplates] = useState<ResourceTemplateView[]>([]);
  const [subs, setSubs] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const [reading, setReading] = useState<{ uri: string; contents: ResourceContentView[] }>();
  const [readError, setReadError] = useState<string>();

  const load = useCallback(
    async (more?: string) => {
      setError(undefined);
      try {
        const page = await api.listResources({ serverId, cursor: more });
        setResources((r) => (more ? [...r, ...page.resources] : page.resources));
        setCursor(page.nextCursor);
        if (!more) {
          setTemplates((await api.listResourceTemplates({ serverId })).templates);
          setSubs((await api.listSubscriptions({ serverId })).uris);
        }
      } catch (e) {
        setError(errorMessage(e));
      }
    },
    [serverId],
  );
  useEffect(() => {
    if (connected && server.info?.capabilities.resources) void load();
  }, [connected, load, version, server.info]);

  const read = async (req: { uri?: string; uriTemplate?: string; variables?: Record<string, string> }) => {
    setReadError(undefined);
    try {
      setReading(await api.readResource({ serverId, ...req }));
    } catch (e) {
      setReading(undefined);
      setReadError(errorMessage(e));
    }
  };
  const toggleSub = async (uri: string) => {
    try {
      if (subs.includes(uri)) await api.unsubscribeResource({ serverId, uri });
      else await api.subscribeResource({ serverId, uri });
      setSubs((await api.listSubscriptions({ serverId })).uris);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  if (!connected) return <p className="empty">Connect the server to browse its resources.</p>;
  if (!server.info?.capabilities.resources) return <p className="empty">This server does not offer resources.</p>;
  return (
    <div className="inspect-resources">
      <ErrorNote message={error} />
      <div className="split">
        <div className="split-list">
          <h3>Resources</h3>
          <ul className="plain" aria-label="Resources">
            {resources.map((r) => (
              <ResourceRow key={r.uri} serverId={serverId} resource={r} subscribed={subs.includes(r.uri)} onRead={() => read({ uri: r.uri })} onToggleSub={() => toggleSub(r.uri)} />
            ))}
          </ul>
          {cursor && (
            <button type="button" onClick={() => load(cursor)}>
              Load more resources
            </button>
          )}
          <h3>Templates</h3>
          <ul className="plain" aria-label="Resource templates">
            {templates.map((t) => (
              <TemplateRow key={t.uriTemplate} template={t} onRead={(variables) => read({ uriTemplate: t.uriTemplate, variables })} />
            ))}
            {templates.length === 0 && <li className="hint">No templates.</li>}
          </ul>
        </div>
        <div className="split-detail" aria-live="polite">
          <ErrorNote message={readError} />
          {reading ? <ResourceContents uri={reading.uri} contents={reading.contents} /> : <p className="empty">Read a resource to see its contents.</p>}
        </div>
      </div>
    </div>
  );
}

function ResourceRow({ serverId, resource, subscribed, onRead, onToggleSub }: { serverId: string; resource: ResourceView; subscribed: boolean; onRead: () => void; onToggleSub: () => void }) {
  const updated = useResources((s) => s.updated[`${serverId} ${resource.uri}`]);
  const label = resource.title ?? resource.name;
  return (
    <li className="resource" aria-label={label}>
      <div>
        <strong>{label}</strong> <code className="uri">{resource.uri}</code> {resource.mimeType && <span className="hint">{resource.mimeType}</span>}
        {updated && (
          <span className="chip" role="status">
            updated {new Date(updated).toLocaleTimeString()}
          </span>
        )}
      </div>
      {resource.description && <p className="hint">{resource.description}</p>}
      <div className="actions">
        <button type="button" className="small" onClick={onRead} aria-label={`Read ${label}`}>
          Read
        </button>
        <button type="button" className="small" onClick={onToggleSub} aria-label={`${subscribed ? 'Unsubscribe from' : 'Subscribe to'} ${label}`}>
          {subscribed ? 'Unsubscribe' : 'Subscribe'}
        </button>
      </div>
    </li>
  );
}

function TemplateRow({ template, onRead }: { template: ResourceTemplateView; onRead: (variables: Record<string, string>) => void }) {
  const [vars, setVars] = useState<Record<string, string>>({});
  const label = template.title ?? template.name;
  return (
    <li className="resource" aria-label={label}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onRead(vars);
        }}
      >
        <div>
          <strong>{label}</strong> <code className="uri">{template.uriTemplate}</code>
        </div>
        {template.description && <p className="hint">{template.description}</p>}
        {template.variables.map((v) => (
          <label key={v} className="inline">
            {v}
            <input value={vars[v] ?? ''} onChange={(e) => setVars({ ...vars, [v]: e.target.value })} aria-label={`${label} ${v}`} />
          </label>
        ))}
        <button type="submit" className="small" aria-label={`Read from template ${label}`}>
          Read
        </button>
      </form>
    </li>
  );
}

function ResourceContents({ uri, contents }: { uri: string; contents: ResourceContentView[] }) {
  return (
    <section aria-label="Resource contents">
      <h3>
        <code>{uri}</code>
      </h3>
      {contents.map((c, i) => (
        <div key={i} className="resource-content">
          <p className="hint">
            {c.uri} {c.mimeType}
          </p>
          {c.text !== undefined ? <pre className="block-text" tabIndex={0}>{c.text}</pre> : <BlobContent uri={c.uri} mimeType={c.mimeType} blob={c.blob} />}
        </div>
      ))}
      {contents.length === 0 && <p className="hint">The server returned no contents.</p>}
    </section>
  );
}
