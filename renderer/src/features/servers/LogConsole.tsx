import { useEffect, useRef } from 'react';
import type { LogLine } from '../../api';

// The server's stderr and lifecycle notes, live. Text only: nothing a server
// prints is interpreted as markup.

export function LogConsole({ lines }: { lines: LogLine[] }) {
  const ref = useRef<HTMLPreElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    const el = ref.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [lines]);
  return (
    <pre
      ref={ref}
      className="console"
      role="log"
      aria-label="Server log"
      aria-live="off"
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      }}
    >
      {lines.length === 0 ? (
        <span className="empty">Nothing logged yet. Connect the server: what it writes to stderr, and when it starts, stops or crashes, shows up here.</span>
      ) : (
        lines.map((line) => (
          <div key={line.seq} className={`log-line log-${line.stream}`}>
            <span className="log-time">{new Date(line.ts).toLocaleTimeString()}</span> {line.text}
          </div>
        ))
      )}
    </pre>
  );
}
