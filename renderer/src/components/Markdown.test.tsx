import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Markdown, renderMarkdown } from './Markdown';

describe('Markdown from a server', () => {
  it('renders emphasis, lists and code', () => {
    const html = renderMarkdown('Use **read_file** first.\n\n- one\n- two\n\n`code`');
    expect(html).toContain('<strong>read_file</strong>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<code>code</code>');
  });

  it('escapes raw HTML, so no element or handler from the server reaches the page', () => {
    const { container } = render(<Markdown source={'<img src=x onerror="alert(1)"><script>alert(2)</script><iframe src="https://evil.example"></iframe>'} />);
    expect(container.querySelector('img, script, iframe')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror="alert(1)">');
  });

  it('shows links as text and address, never as a live link; images as their alt text', () => {
    const { container } = render(<Markdown source={'[docs](javascript:alert(1)) and [site](https://example.com) ![logo](https://tracker.example/p.png)'} />);
    expect(container.querySelector('a, img')).toBeNull();
    expect(container.textContent).toContain('site https://example.com');
    expect(container.textContent).toContain('[image: logo]');
  });

  it('bounds the source it parses', () => {
    expect(renderMarkdown('a'.repeat(200_000)).length).toBeLessThan(70_000);
  });

  it('offers Show more when clamped text overflows', () => {
    // jsdom has no layout: make the block report an overflow.
    Object.defineProperty(HTMLElement.prototype, 'scrollHeight', { configurable: true, get: () => 500 });
    try {
      render(<Markdown source={'line\n\n'.repeat(40)} lines={3} />);
      const more = screen.getByRole('button', { name: 'Show more' });
      expect(more.getAttribute('aria-expanded')).toBe('false');
      fireEvent.click(more);
      expect(screen.getByRole('button', { name: 'Show less' }).getAttribute('aria-expanded')).toBe('true');
    } finally {
      delete (HTMLElement.prototype as { scrollHeight?: number }).scrollHeight;
    }
  });
});
