import { useCallback, useEffect, useRef, useState } from 'react';
import { ErrorNote } from '../../components/ErrorNote';
import { api, errorMessage, type ResourceContentView, type ResourceTemplateView, type ResourceView, type ServerView } from '../../api';
import { BlobContent } from '../../components/ContentBlocks';
import { firstFieldIn, focusElement } from '../../components/focus';
import { ItemList } from '../../components/ItemList';
import { Markdown } from '../../components/Markdown';
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
  const [readingNow, setReadingNow] = useState(false);
  const [picked, setPicked] = useState<Picked>();
  const [loaded, setLoaded] = useState(false);

  const load = useCallback(
    async (more?: string) => {
      setError(undefined);
      try {
        const page = await api.listResources({ serverId, cursor: more });
        setResources((r) => (more ? [...r, ...page.resources] : page.resources));
        setCursor(page.nextCursor);
        setLoaded(true);
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

  // Only the latest read shows (arrowing through the list starts several).
  const readSeq = useRef(0);
  const read = async (req: { uri?: string; uriTemplate?: string; variables?: Record<string, string> }) => {
    const seq = ++readSeq.current;
    setReadError(undefined);
    setReadingNow(true);
    try {
      const answer = await api.readResource({ serverId, ...req });
      if (seq === readSeq.current) setReading(answer);
    } catch (e) {
      if (seq !== readSeq.current) return;
      setReading(undefined);
      setReadError(errorMessage(e));
    } finally {
      if (seq === readSeq.current) setReadingNow(false);
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
  const choose = (next: Picked) => {
    setPicked(next);
    setReading(undefined);
    setReadError(undefined);
    if (next.kind === 'resource') void read({ uri: next.key });
    else readSeq.current++;
  };

  if (!connected) return <p className="empty">Connect the server to browse its resources.</p>;
  if (!server.info?.capabilities.resources) return <p className="empty">This server does not offer resources. Its tools and prompts are in the other tabs.</p>;
  const resource = picked?.kind === 'resource' ? resources.find((r) => r.uri === picked.key) : undefined;
  const template = picked?.kind === 'template' ? templates.find((t) => t.uriTemplate === picked.key) : undefined;
  return (
    <div className="inspect-resources">
      <ErrorNote message={error} />
      <div className="split">
        <div className="split-list">
          <h3 className="list-section-title">Resources</h3>
          {loaded && resources.length === 0 ? (
            <p className="hint">The server lists no resources right now{templates.length > 0 ? '; read one from a template below' : ''}.</p>
          ) : (
            <ItemList
              label="Resources"
              searchLabel={resources.length > 8 ? 'Search resources' : undefined}
              entries={resources.map((r) => ({
                key: r.uri,
                name: r.title ?? r.name,
                secondary: r.uri,
                description: r.description,
                chips: <ResourceChips serverId={serverId} uri={r.uri} subscribed={subs.includes(r.uri)} />,
              }))}
              selectedKey={picked?.kind === 'resource' ? picked.key : undefined}
              onSelect={(uri) => choose({ kind: 'resource', key: uri })}
            />
          )}
          {cursor && (
            <button type="button" onClick={() => load(cursor)}>
              Load more resources
            </button>
          )}
          <h3 className="list-section-title">Templates</h3>
          {templates.length === 0 ? (
            <p className="hint">No templates.</p>
          ) : (
            <ItemList
              label="Resource templates"
              entries={templates.map((t) => ({ key: t.uriTemplate, name: t.title ?? t.name, secondary: t.uriTemplate, description: t.description }))}
              selectedKey={picked?.kind === 'template' ? picked.key : undefined}
              onSelect={(uriTemplate) => choose({ kind: 'template', key: uriTemplate })}
              onOpen={(uriTemplate) => {
                choose({ kind: 'template', key: uriTemplate });
                requestAnimationFrame(() => {
                  const form = document.getElementById(templateFormId);
                  if (form) focusElement(firstFieldIn(form) ?? form.querySelector<HTMLElement>('[type="submit"]'), { scroll: true });
                });
              }}
            />
          )}
        </div>
        <div className="split-detail">
          {resource && <ResourceHeader serverId={serverId} resource={resource} subscribed={subs.includes(resource.uri)} onToggleSub={() => toggleSub(resource.uri)} />}
          {template && <TemplateForm key={template.uriTemplate} template={template} onRead={(variables) => read({ uriTemplate: template.uriTemplate, variables })} />}
          <div aria-live="polite">
            <ErrorNote message={readError} />
            {readingNow && !reading && (
              <p className="hint" role="status">
                Reading…
              </p>
            )}
            {reading ? (
              <ResourceContents uri={reading.uri} contents={reading.contents} />
            ) : (
              !picked && <p className="empty">Choose a resource to read it, or a template to fill in its address.</p>
            )}
          </div>
        </div>
      </div>
    </div>
  );
}

type Picked = { kind: 'resource' | 'template'; key: string };
const templateFormId = 'resource-template-form';

/** On a resource's row: subscribed, and when the server last said it changed. */
function ResourceChips({ serverId, uri, subscribed }: { serverId: string; uri: string; subscribed: boolean }) {
  const updated = useResources((s) => s.updated[`${serverId} ${uri}`]);
  return (
    <>
      {subscribed && <span className="chip">subscribed</span>}
      {updated && <span className="chip">updated {new Date(updated).toLocaleTimeString()}</span>}
    </>
  );
}

function ResourceHeader({ serverId, resource, subscribed, onToggleSub }: { serverId: string; resource: ResourceView; subscribed: boolean; onToggleSub: () => void }) {
  const updated = useResources((s) => s.updated[`${serverId} ${resource.uri}`]);
  const label = resource.title ?? resource.name;
  return (
    <section className="resource-header" aria-label={`About ${label}`}>
      <div className="toolbar">
        <strong>{label}</strong> {resource.mimeType && <span className="hint">{resource.mimeType}</span>}
        {updated && (
          <span className="chip" role="status">
            updated {new Date(updated).toLocaleTimeString()}
          </span>
        )}
        <button type="button" className="small" onClick={onToggleSub} aria-label={`${subscribed ? 'Unsubscribe from' : 'Subscribe to'} ${label}`}>
          {subscribed ? 'Unsubscribe' : 'Subscribe'}
        </button>
      </div>
      {resource.description && <Markdown source={resource.description} lines={3} />}
    </section>
  );
}

function TemplateForm({ template, onRead }: { template: ResourceTemplateView; onRead: (variables: Record<string, string>) => void }) {
  const [vars, setVars] = useState<Record<string, string>>({});
  const label = template.title ?? template.name;
  return (
    <section className="resource-header" aria-label={`Template ${label}`} id={templateFormId}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onRead(vars);
        }}
      >
        <p>
          <strong>{label}</strong> <code className="uri">{template.uriTemplate}</code>
        </p>
        {template.description && <Markdown source={template.description} lines={3} />}
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
    </section>
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
