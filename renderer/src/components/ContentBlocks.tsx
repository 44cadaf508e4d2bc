import { base64ToBytes, downloadBlob, isBase64, prettyJson, safeMediaUrl } from './download';

// MCP content blocks (tool results, prompt messages) rendered as text and
// media. Blocks come from a server: text is text, media only from base64 with
// an image/* or audio/* type, anything unknown shown as JSON.

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function ContentBlocks({ blocks }: { blocks: unknown }) {
  if (!Array.isArray(blocks) || blocks.length === 0) return <p className="hint">No content blocks.</p>;
  return (
    <ol className="content-blocks" aria-label="Content">
      {blocks.slice(0, 500).map((block, i) => (
        <li key={i} className="content-block">
          <ContentBlock block={block} />
        </li>
      ))}
    </ol>
  );
}

export function ContentBlock({ block }: { block: unknown }) {
  const b = (block && typeof block === 'object' ? block : {}) as Record<string, unknown>;
  switch (b.type) {
    case 'text':
      return (
        <pre className="block-text" tabIndex={0}>
          {str(b.text) ?? ''}
        </pre>
      );
    case 'image': {
      const src = safeMediaUrl('image', b.mimeType, b.data);
      return src ? (
        <img className="block-image" src={src} alt={`Image (${String(b.mimeType)}) from the server`} />
      ) : (
        <p className="field-error">An image block with an unsupported type or invalid data was not shown.</p>
      );
    }
    case 'audio': {
      const src = safeMediaUrl('audio', b.mimeType, b.data);
      return src ? (
        <audio controls src={src} aria-label={`Audio (${String(b.mimeType)}) from the server`} />
      ) : (
        <p className="field-error">An audio block with an unsupported type or invalid data was not played.</p>
      );
    }
    case 'resource': {
      const r = (b.resource && typeof b.resource === 'object' ? b.resource : {}) as Record<string, unknown>;
      return (
        <div className="block-resource">
          <p>
            <span className="chip">embedded resource</span> <code>{str(r.uri) ?? '(no uri)'}</code>{' '}
            {str(r.mimeType) && <span className="hint">{str(r.mimeType)}</span>}
          </p>
          {typeof r.text === 'string' ? (
            <pre className="block-text" tabIndex={0}>
              {r.text}
            </pre>
          ) : (
            <BlobContent uri={str(r.uri)} mimeType={str(r.mimeType)} blob={r.blob} />
          )}
        </div>
      );
    }
    case 'resource_link':
      return (
        <div className="block-link">
          <span className="chip">resource link</span> <strong>{str(b.title) ?? str(b.name) ?? ''}</strong> <code>{str(b.uri) ?? ''}</code>
          {str(b.description) && <p className="hint">{str(b.description)}</p>}
        </div>
      );
    default:
      return (
        <pre className="block-json" tabIndex={0}>
          {prettyJson(block)}
        </pre>
      );
  }
}

export function BlobContent({ uri, mimeType, blob }: { uri?: string; mimeType?: string; blob: unknown }) {
  if (!isBase64(blob)) return <p className="hint">No data.</p>;
  const size = Math.floor((blob.replace(/\s+/g, '').length * 3) / 4);
  const name = (uri ?? 'resource').split(/[/?#]/).filter(Boolean).pop() ?? 'resource';
  return (
    <p className="blob">
      Binary content, about {size.toLocaleString()} bytes{mimeType ? ` (${mimeType})` : ''}.{' '}
      <button
        type="button"
        className="small"
        onClick={() => downloadBlob(base64ToBytes(blob), name, mimeType && /^[\w.+-]+\/[\w.+-]+$/.test(mimeType) ? mimeType : 'application/octet-stream')}
      >
        Download {name}
      </button>
    </p>
  );
}
