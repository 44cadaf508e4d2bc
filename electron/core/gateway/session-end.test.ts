import { describe, expect, it } from 'vitest';
import { SessionEnd } from './gateway-call';

describe('SessionEnd', () => {
  it('aborts every linked call with the reason when the session ends, and a finished call is let go', () => {
    const end = new SessionEnd();
    const requests = Array.from({ length: 1000 }, () => new AbortController());
    const links = requests.map((r) => end.link(r.signal));
    links[0]!.done();
    end.end('ended');
    expect(links[0]!.signal.aborted).toBe(false);
    expect(links.slice(1).every((l) => l.signal.aborted && l.signal.reason === 'ended')).toBe(true);
    // A call linked after the end is aborted at once.
    expect(end.link(new AbortController().signal).signal.reason).toBe('ended');
  });

  it('a request aborted by its client aborts its link alone', () => {
    const end = new SessionEnd();
    const a = new AbortController();
    const b = new AbortController();
    const [la, lb] = [end.link(a.signal), end.link(b.signal)];
    a.abort('cancelled');
    expect([la.signal.reason, lb.signal.aborted]).toEqual(['cancelled', false]);
  });
});
