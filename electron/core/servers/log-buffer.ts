import type { LogLine } from '../../../shared/contract';

// A bounded ring of log lines per server (stderr, protocol errors, lifecycle
// notes). Overlong lines are cut so one noisy server cannot eat memory. A
// server that prints its own injected secret has it replaced on the way in.

export class LogBuffer {
  private readonly lines: LogLine[] = [];
  private seq = 0;

  constructor(
    /** Called with every new line (the manager streams them to the renderer). */
    private readonly onPush?: (line: LogLine) => void,
    private readonly capacity = 2000,
    private readonly maxLineLength = 8192,
    /** The server's known-secret scrubber, looked up per line (secrets are registered at launch, after the buffer exists). */
    private readonly scrubber?: () => ((text: string) => string) | undefined,
  ) {}

  push(stream: LogLine['stream'], raw: string, ts = Date.now()): LogLine {
    // Scrubbed before the cut, so a secret on the boundary is not left half visible.
    const scrub = this.scrubber?.();
    const text = scrub ? scrub(raw) : raw;
    const line: LogLine = {
      seq: ++this.seq,
      ts,
      stream,
      text: text.length > this.maxLineLength ? `${text.slice(0, this.maxLineLength)}… [${text.length - this.maxLineLength} more characters]` : text,
    };
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
    this.onPush?.(line);
    return line;
  }

  /** A text with this server's known secrets replaced, for what is shown outside the log (a status reason). */
  scrub(text: string): string {
    const scrub = this.scrubber?.();
    return scrub ? scrub(text) : text;
  }

  snapshot(): LogLine[] {
    return this.lines.slice();
  }

  tail(count: number, stream?: LogLine['stream']): string[] {
    const source = stream ? this.lines.filter((l) => l.stream === stream) : this.lines;
    return source.slice(-count).map((l) => l.text);
  }
}
