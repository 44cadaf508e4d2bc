import { useEffect, useRef, useState } from 'react';
import { AppBridge, type McpUiHostCapabilities } from '@modelcontextprotocol/ext-apps/app-bridge';
import type { CallToolResult, ReadResourceResult } from '@modelcontextprotocol/client';
import { api, errorMessage, type AppDocumentView, type ToolView } from '../../api';
import { FrameTransport } from './frame-transport';
import { hostContext, MAX_APP_HEIGHT, MIN_APP_HEIGHT } from './host-context';

// One MCP App: its document in a sandboxed frame on its server's own origin,
// spoken to through the ext-apps AppBridge. Every request the app makes goes
// to the core, which checks it (tool visibility, same server, the URL guard)
// and records it in History; what was refused is listed under the frame.

export interface AppFrameProps {
  serverId: string;
  tool: ToolView;
  input: Record<string, unknown>;
  result: Record<string, unknown>;
}

interface Entry {
  id: number;
  kind: 'refused' | 'message' | 'call' | 'link';
  text: string;
}

interface LinkRequest {
  url: string;
  origin: string;
  answer: (open: boolean) => void;
}

const HOST_CAPABILITIES: McpUiHostCapabilities = {
  openLinks: {},
  serverTools: {},
  serverResources: {},
  logging: {},
  message: { text: {} },
  updateModelContext: { text: {} },
};

const MAX_ENTRIES = 50;
let nextEntry = 0;

const textOf = (content: unknown): string =>
  Array.isArray(content)
    ? content
        .map((c) => (c && typeof c === 'object' && typeof (c as { text?: unknown }).text === 'string' ? (c as { text: string }).text : '[non-text content]'))
        .join('\n')
        .slice(0, 4000)
    : '';

export default function AppFrame({ serverId, tool, input, result }: AppFrameProps) {
  const [doc, setDoc] = useState<AppDocumentView>();
  const [error, setError] = useState<string>();
  const [height, setHeight] = useState(240);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [link, setLink] = useState<LinkRequest>();
  const frame = useRef<HTMLIFrameElement>(null);
  const bridge = useRef<AppBridge | undefined>(undefined);
  const add = (kind: Entry['kind'], text: string) => setEntries((list) => [...list.slice(-(MAX_ENTRIES - 1)), { id: nextEntry++, kind, text }]);

  useEffect(() => {
    let gone = false;
    let opened: AppDocumentView | undefined;
    api.openApp({ serverId, tool: tool.name }).then(
      ({ app }) => {
        opened = app;
        if (gone) void api.closeApp({ serverId, documentId: app.documentId }).catch(() => undefined);
        else setDoc(app);
      },
      (e: unknown) => !gone && setError(errorMessage(e)),
    );
    return () => {
      gone = true;
      const open = bridge.current;
      bridge.current = undefined;
      if (open)
        void open
          .teardownResource({}, { timeout: 1000 })
          .catch(() => undefined)
          .finally(() => void open.close());
      if (opened) void api.closeApp({ serverId, documentId: opened.documentId }).catch(() => undefined);
    };
  }, [serverId, tool.name, result]);

  // Once the frame exists, and before its document loads (the app says ui/initialize as soon as its script runs):
  // listen to this window only, from the app's origin only; then load the document.
  useEffect(() => {
    const win = frame.current?.contentWindow;
    if (!win || !doc || bridge.current) return;
    const ids = { serverId, documentId: doc.documentId };
    const b = new AppBridge(null, { name: 'Switchboard', version: '1' }, HOST_CAPABILITIES, {
      hostContext: { ...hostContext(frame.current!.clientWidth), toolInfo: { tool: tool as never } },
    });
    b.oncalltool = async (params) => {
      try {
        const { result: answer } = await api.appCallTool({ ...ids, tool: params.name, arguments: (params.arguments ?? {}) as Record<string, unknown> });
        add('call', `tools/call ${params.name}: answered`);
        return answer as CallToolResult;
      } catch (e) {
        add('refused', `tools/call ${params.name}: ${errorMessage(e)}`);
        throw e;
      }
    };
    b.onreadresource = async ({ uri }) => {
      try {
        return (await api.appReadResource({ ...ids, uri })).result as ReadResourceResult;
      } catch (e) {
        add('refused', `resources/read ${uri}: ${errorMessage(e)}`);
        throw e;
      }
    };
    b.onopenlink = async ({ url }) => {
      let checked: { url: string; origin: string };
      try {
        checked = await api.appOpenLink({ ...ids, url, step: 'check' });
      } catch (e) {
        add('refused', `ui/open-link: ${errorMessage(e)}`);
        return { isError: true };
      }
      const open = await new Promise<boolean>((resolve) => setLink({ ...checked, answer: resolve }));
      setLink(undefined);
      try {
        await api.appOpenLink({ ...ids, url: checked.url, step: open ? 'open' : 'decline' });
      } catch (e) {
        add('refused', `ui/open-link: ${errorMessage(e)}`);
        return { isError: true };
      }
      add('link', `ui/open-link ${checked.url}: ${open ? 'opened in the browser' : 'not opened'}`);
      return open ? {} : { isError: true };
    };
    b.onmessage = async ({ content }) => {
      const text = textOf(content);
      add('message', text);
      void api.appNote({ ...ids, kind: 'message', method: 'ui/message', text: text || '(empty)' }).catch(() => undefined);
      return {};
    };
    b.onupdatemodelcontext = async ({ content }) => {
      add('message', `Model context (no model here): ${textOf(content)}`);
      return {};
    };
    b.onrequestdisplaymode = async () => ({ mode: 'inline' });
    b.onsizechange = ({ height: h }) => {
      if (typeof h === 'number' && Number.isFinite(h)) setHeight(Math.min(MAX_APP_HEIGHT, Math.max(MIN_APP_HEIGHT, Math.ceil(h))));
    };
    b.oninitialized = () => {
      void b.sendToolInput({ arguments: input }).catch(() => undefined);
      void b.sendToolResult(result as CallToolResult).catch(() => undefined);
    };
    bridge.current = b;
    void b
      .connect(new FrameTransport(win, doc.frameOrigin))
      .then(() => frame.current?.setAttribute('src', doc.frameUrl))
      .catch((e: unknown) => add('refused', `The app could not be connected: ${errorMessage(e)}`));
    // host-context-changed: the theme follows the system's, as ours does.
    const scheme = matchMedia('(prefers-color-scheme: dark)');
    const onScheme = () =>
      void Promise.resolve(b.sendHostContextChange({ theme: scheme.matches ? 'dark' : 'light', styles: hostContext(win.innerWidth).styles })).catch(
        () => undefined,
      );
    scheme.addEventListener('change', onScheme);
    return () => scheme.removeEventListener('change', onScheme);
    // One bridge per document; the input and result it is sent belong to that document.
  }, [doc]);

  const refused = entries.filter((e) => e.kind === 'refused');
  return (
    <section className="mcp-app" aria-label={`App ${doc?.resourceUri ?? tool.ui?.resourceUri ?? ''}`}>
      <header className="mcp-app-head">
        <span className="chip chip-app">App</span> <code>{tool.ui?.resourceUri}</code>
        {doc && <span className="mcp-app-origin"> on its own origin</span>}
      </header>
      {error && (
        <p className="error" role="alert">
          The app could not be shown: {error}
        </p>
      )}
      {!doc && !error && <p className="hint">Loading the app…</p>}
      {doc && (
        <>
          {doc.refused.length > 0 && (
            <details className="note notice">
              <summary>{doc.refused.length} request(s) in the app's metadata were refused</summary>
              <ul>
                {doc.refused.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            </details>
          )}
          {/* allow-same-origin is safe only because this origin is the server's own (switchboard-app://<label>,
              or <label>.localhost in tests), never the renderer's: the frame keeps its own storage and cannot
              touch ours. No allow-top-navigation, allow-popups, allow-forms or allow-modals. */}
          <iframe
            ref={frame}
            className={`mcp-app-frame${doc.prefersBorder === false ? ' borderless' : ''}`}
            title={`MCP App ${doc.resourceUri}`}
            sandbox="allow-scripts allow-same-origin"
            allow={doc.allow}
            referrerPolicy="no-referrer"
            style={{ height }}
          />
          <details className="mcp-app-csp">
            <summary>Content-Security-Policy</summary>
            <code>{doc.csp}</code>
          </details>
        </>
      )}
      {link && (
        <div className="mcp-app-consent" role="group" aria-label="The app asks to open a link">
          <p>
            The app asks to open <strong>{link.origin}</strong> in your browser:
            <br />
            <code>{link.url}</code>
          </p>
          <button type="button" className="primary" onClick={() => link.answer(true)}>
            Open in browser
          </button>{' '}
          <button type="button" onClick={() => link.answer(false)} autoFocus>
            Don't open
          </button>
        </div>
      )}
      {refused.length > 0 && (
        <div className="mcp-app-refused" role="alert">
          <strong>Refused:</strong>
          <ul aria-label="Refused app requests">
            {refused.map((e) => (
              <li key={e.id}>{e.text}</li>
            ))}
          </ul>
        </div>
      )}
      {entries.some((e) => e.kind !== 'refused') && (
        <ul className="mcp-app-log" aria-label="App activity">
          {entries
            .filter((e) => e.kind !== 'refused')
            .map((e) => (
              <li key={e.id} className={`mcp-app-${e.kind}`}>
                {e.kind === 'message' ? 'Message: ' : ''}
                {e.text}
              </li>
            ))}
        </ul>
      )}
    </section>
  );
}
