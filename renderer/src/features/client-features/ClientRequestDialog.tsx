import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/ErrorNote';
import { initialValue, SchemaForm, type Schema } from '../../components/SchemaForm';
import { prettyJson } from '../../components/download';
import { api, errorMessage, IpcError, type ClientRequestView } from '../../api';
import { ContentBlock } from '../../components/ContentBlocks';
import { useClientFeatures } from './store';
import { OpenedUrlDialog, UrlElicitation } from './UrlElicitationDialog';

// A server asking the user something: elicitation (a form from the requested
// schema, with its defaults; or a URL to visit, UrlElicitationDialog.tsx) or sampling (no model here: the user writes the
// reply or declines). One request at a time, oldest first.

export function ClientRequests() {
  const request = useClientFeatures((s) => s.requests[0]);
  const opened = useClientFeatures((s) => s.opened[0]);
  if (!request) return opened ? <OpenedUrlDialog key={opened.request.requestId} opened={opened} /> : null;
  if (request.urlElicitation) return <UrlElicitation key={request.requestId} request={request} url={request.urlElicitation} />;
  return request.kind === 'elicitation' ? <Elicitation key={request.requestId} request={request} /> : <Sampling key={request.requestId} request={request} />;
}

function Elicitation({ request }: { request: ClientRequestView }) {
  const schema = (request.requestedSchema ?? { type: 'object', properties: {} }) as Schema;
  const [value, setValue] = useState<unknown>(() => initialValue(schema, schema) ?? {});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const remove = useClientFeatures((s) => s.removeRequest);
  const answer = async (action: 'accept' | 'decline' | 'cancel') => {
    try {
      await api.answerElicitation({ requestId: request.requestId, action, content: action === 'accept' ? (value as Record<string, unknown>) : undefined });
      remove(request.requestId);
    } catch (e) {
      if (e instanceof IpcError && e.code === 'VALIDATION' && e.details && typeof e.details === 'object') setErrors(e.details as Record<string, string>);
      else if (e instanceof IpcError && e.code === 'NOT_FOUND') remove(request.requestId);
      setError(errorMessage(e));
    }
  };
  return (
    <Dialog
      title={`${request.serverName} asks for information`}
      onClose={() => void answer('cancel')}
      wide
      footer={
        <div className="dialog-actions">
          <button type="button" onClick={() => void answer('cancel')}>
            Cancel
          </button>
          <button type="button" onClick={() => void answer('decline')}>
            Decline
          </button>
          <button type="submit" form={`elicit-${request.requestId}`} className="primary">
            Accept and send
          </button>
        </div>
      }
    >
      <CausedBy request={request} />
      <p className="elicit-message">{request.message}</p>
      <p className="hint">Only send what you are comfortable sharing with this server.</p>
      <form
        id={`elicit-${request.requestId}`}
        onSubmit={(e) => {
          e.preventDefault();
          void answer('accept');
        }}
      >
        <SchemaForm schema={schema} value={value} onChange={setValue} errors={errors} useTitles />
      </form>
      <ErrorNote message={error} />
    </Dialog>
  );
}

/** A request made during a gateway call: which other app's call caused it. */
function CausedBy({ request }: { request: ClientRequestView }) {
  if (!request.clientName) return null;
  return (
    <p className="hint" data-testid="request-client">
      Asked during a call by {request.clientName} through the gateway.
    </p>
  );
}

function Sampling({ request }: { request: ClientRequestView }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const remove = useClientFeatures((s) => s.removeRequest);
  const answer = async (action: 'reply' | 'decline') => {
    try {
      await api.answerSampling({ requestId: request.requestId, action, text: action === 'reply' ? text : undefined });
      remove(request.requestId);
    } catch (e) {
      if (e instanceof IpcError && e.code === 'NOT_FOUND') remove(request.requestId);
      setError(errorMessage(e));
    }
  };
  const s = request.sampling;
  return (
    <Dialog
      title={`${request.serverName} asks for a model reply`}
      onClose={() => void answer('decline')}
      wide
      footer={
        <div className="dialog-actions">
          <button type="button" onClick={() => void answer('decline')}>
            Decline
          </button>
          <button type="button" className="primary" onClick={() => void answer('reply')}>
            Send reply
          </button>
        </div>
      }
    >
      <CausedBy request={request} />
      <p className="hint">No model is connected: write the reply yourself, or decline.</p>
      {s?.systemPrompt && (
        <details>
          <summary>System prompt</summary>
          <pre className="block-text">{s.systemPrompt}</pre>
        </details>
      )}
      <ol className="content-blocks" aria-label="Conversation">
        {(s?.messages ?? []).map((m, i) => (
          <li key={i} className="message">
            <span className="chip">{m.role}</span>
            {Array.isArray(m.content) ? m.content.map((c, j) => <ContentBlock key={j} block={c} />) : <ContentBlock block={m.content} />}
          </li>
        ))}
      </ol>
      {s?.maxTokens !== undefined && <p className="hint">Up to {s.maxTokens} tokens.</p>}
      {s?.modelPreferences !== undefined && (
        <details>
          <summary>Model preferences</summary>
          <pre className="block-json">{prettyJson(s.modelPreferences)}</pre>
        </details>
      )}
      <div className="field">
        <label htmlFor={`sampling-${request.requestId}`}>Reply</label>
        <textarea id={`sampling-${request.requestId}`} rows={5} value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      <ErrorNote message={error} />
    </Dialog>
  );
}
