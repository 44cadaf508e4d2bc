import MarkdownIt from 'markdown-it';
import { useId, useLayoutEffect, useRef, useState } from 'react';

// Server-supplied markdown (instructions, tool descriptions), rendered
// safely: raw HTML is escaped (html: false), links and images never become
// live (a link shows its text and address; an image its alt text), and the
// input is bounded before parsing.

const MAX_SOURCE = 64 * 1024;

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
md.renderer.rules.link_open = () => '<span class="md-link">';
md.renderer.rules.link_close = (tokens, idx) => {
  // The address follows the text, as plain code: the user can read and copy it, nothing navigates.
  for (let i = idx - 1; i >= 0; i--) {
    const open = tokens[i];
    if (open?.type === 'link_open') return `</span> <code class="md-href">${md.utils.escapeHtml(String(open.attrGet('href') ?? ''))}</code>`;
  }
  return '</span>';
};
md.renderer.rules.image = (tokens, idx) => `<span class="md-image">[image: ${md.utils.escapeHtml(tokens[idx]?.content ?? '')}]</span>`;

export function renderMarkdown(source: string): string {
  return md.render(source.length > MAX_SOURCE ? `${source.slice(0, MAX_SOURCE)}\n\n…` : source);
}

/** Markdown from a server: escaped, no live links, clamped to `lines` with Show more / Show less. */
export function Markdown({ source, lines = 3, label }: { source: string; lines?: number; label?: string }) {
  const [expanded, setExpanded] = useState(false);
  const [overflows, setOverflows] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const id = useId();
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && !expanded) setOverflows(el.scrollHeight > el.clientHeight + 1);
  }, [source, expanded]);
  return (
    <div className="markdown-block">
      <div
        id={id}
        ref={ref}
        className={`markdown${expanded ? '' : ' clamped'}`}
        style={expanded ? undefined : { maxHeight: `${lines * 1.5}em` }}
        aria-label={label}
        // Safe: markdown-it escapes all HTML in the source (html: false), and links/images are rendered inert above.
        dangerouslySetInnerHTML={{ __html: renderMarkdown(source) }}
      />
      {(overflows || expanded) && (
        <button type="button" className="link-button" aria-expanded={expanded} aria-controls={id} onClick={() => setExpanded(!expanded)}>
          {expanded ? 'Show less' : 'Show more'}
        </button>
      )}
    </div>
  );
}
