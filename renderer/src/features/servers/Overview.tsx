import { Markdown } from '../../components/Markdown';
import type { ServerView } from '../../api';

// What a connected server told us about itself.

export function Overview({ server }: { server: ServerView }) {
  const info = server.info;
  if (!info)
    return <p className="empty">{server.status.state === 'starting' ? 'Connecting…' : 'Not connected. Server details appear once it is connected.'}</p>;
  return (
    <div className="overview">
      <dl className="facts">
        <dt>Server</dt>
        <dd>
          {info.title ?? info.name} <span className="hint">({info.name})</span>
        </dd>
        <dt>Version</dt>
        <dd>{info.version}</dd>
        <dt>Protocol version</dt>
        <dd>
          {info.protocolVersion}
          {info.era && ` (${info.era})`}
          {info.eraReason && <span className="hint">: {info.eraReason}</span>}
        </dd>
        {info.transport && (
          <>
            <dt>Transport</dt>
            <dd>{info.transport}</dd>
          </>
        )}
        <dt>Capabilities</dt>
        <dd>
          <ul className="caps" aria-label="Capabilities">
            {Object.keys(info.capabilities).length === 0 ? <li>none</li> : Object.keys(info.capabilities).map((c) => <li key={c}>{c}</li>)}
          </ul>
        </dd>
      </dl>
      {info.instructions && (
        <section aria-label="Instructions">
          <h3>Instructions</h3>
          <Markdown source={info.instructions} lines={3} />
        </section>
      )}
    </div>
  );
}
