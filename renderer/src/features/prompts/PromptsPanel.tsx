import { useCallback, useEffect, useState } from 'react';
import { ErrorNote } from '../../components/ErrorNote';
import { api, errorMessage, type PromptMessageView, type PromptView, type ServerView } from '../../api';
import { ContentBlock } from '../../components/ContentBlocks';
import { firstFieldIn, focusElement } from '../../components/focus';
import { firstLine, ItemList } from '../../components/ItemList';
import { Markdown } from '../../components/Markdown';
import { usePrompts } from './store';

export function PromptsPanel({ server }: { server: ServerView }) {
  const serverId = server.id;
  const connected = server.status.state === 'connected';
  const version = usePrompts((s) => s.listVersion[serverId] ?? 0);
  const [prompts, setPrompts] = useState<PromptView[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useState<string>();
  const load = useCallback(
    async (more?: string) => {
      try {
        const page = await api.listPrompts({ serverId, cursor: more });
        setPrompts((p) => (more ? [...p, ...page.prompts] : page.prompts));
        setCursor(page.nextCursor);
        setError(undefined);
      } catch (e) {
        setError(errorMessage(e));
      }
    },
    [serverId],
  );
  useEffect(() => {
    if (connected && server.info?.capabilities.prompts) void load();
  }, [connected, load, version, server.info]);
  if (!connected) return <p className="empty">Connect the server to see its prompts.</p>;
  if (!server.info?.capabilities.prompts) return <p className="empty">This server does not offer prompts. Its tools and resources are in the other tabs.</p>;
  const prompt = prompts.find((p) => p.name === selected);
  return (
    <div className="split">
      <div className="split-list">
        <ErrorNote message={error} />
        {prompts.length === 0 && !error ? (
          <p className="empty">The server lists no prompts right now. The list refreshes by itself when the server says it changed.</p>
        ) : (
          <ItemList
            label="Prompts"
            searchLabel={prompts.length > 8 ? 'Search prompts' : undefined}
            entries={prompts.map((p) => ({ key: p.name, name: p.name, secondary: p.title ?? firstLine(p.description), description: p.description }))}
            selectedKey={selected}
            onSelect={setSelected}
            onOpen={(name) => {
              setSelected(name);
              // Enter: straight to the first argument (or Get prompt).
              requestAnimationFrame(() => {
                const form = document.getElementById(promptFormId(name));
                if (form) focusElement(firstFieldIn(form) ?? form.querySelector<HTMLElement>('[type="submit"]'), { scroll: true });
              });
            }}
          />
        )}
        {cursor && (
          <button type="button" onClick={() => load(cursor)}>
            Load more prompts
          </button>
        )}
      </div>
      <div className="split-detail">
        {prompt ? (
          <PromptForm key={prompt.name} serverId={serverId} prompt={prompt} />
        ) : (
          <p className="empty">Choose a prompt to fill in its arguments and see the messages it makes.</p>
        )}
      </div>
    </div>
  );
}

const promptFormId = (name: string) => `prompt-form-${name}`;

function PromptForm({ serverId, prompt }: { serverId: string; prompt: PromptView }) {
  const [args, setArgs] = useState<Record<string, string>>({});
  const [missing, setMissing] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<{ description?: string; messages: PromptMessageView[] }>();
  return (
    <section aria-label={`Prompt ${prompt.name}`} id={promptFormId(prompt.name)}>
      <h3>
        <code>{prompt.name}</code> {prompt.title && <span className="tool-title">{prompt.title}</span>}
      </h3>
      {prompt.description && <Markdown source={prompt.description} lines={4} />}
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const need = prompt.arguments.filter((a) => a.required && !args[a.name]).map((a) => a.name);
          setMissing(need);
          if (need.length) return;
          try {
            setError(undefined);
            setResult(await api.getPrompt({ serverId, name: prompt.name, arguments: Object.fromEntries(Object.entries(args).filter(([, v]) => v !== '')) }));
          } catch (err) {
            setError(errorMessage(err));
          }
        }}
      >
        {prompt.arguments.map((a) => (
          <div className="field" key={a.name}>
            <label htmlFor={`prompt-${prompt.name}-${a.name}`}>
              {a.name}
              {a.required && <span aria-hidden="true"> *</span>}
            </label>
            <input
              id={`prompt-${prompt.name}-${a.name}`}
              value={args[a.name] ?? ''}
              aria-invalid={missing.includes(a.name) || undefined}
              onChange={(e) => setArgs({ ...args, [a.name]: e.target.value })}
            />
            {a.description && <p className="hint">{a.description}</p>}
            {missing.includes(a.name) && <p className="field-error">Required.</p>}
          </div>
        ))}
        <button type="submit" className="primary">
          Get prompt
        </button>
      </form>
      <ErrorNote message={error} />
      {result && (
        <section aria-label="Prompt messages" className="prompt-messages">
          {result.description && <p className="hint">{result.description}</p>}
          <ol className="content-blocks">
            {result.messages.map((m, i) => (
              <li key={i} className={`message role-${m.role === 'assistant' ? 'assistant' : 'user'}`}>
                <span className="chip">{m.role}</span>
                <ContentBlock block={m.content} />
              </li>
            ))}
          </ol>
        </section>
      )}
    </section>
  );
}
