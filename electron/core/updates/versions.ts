// Small, bounded helpers over what an update server sends: a version string and
// release notes. Both are hostile input: they are shown to the user.

const SEMVER = /^v?(\d{1,9})\.(\d{1,9})\.(\d{1,9})(?:-([0-9A-Za-z.-]{1,64}))?(?:\+[0-9A-Za-z.-]{1,64})?$/;
export const MAX_VERSION_LENGTH = 64;
export const MAX_RELEASE_NOTES = 4000;

/** Negative when a < b, positive when a > b, 0 when equal; undefined when either is not a version. Semver precedence. */
export function compareVersions(a: string, b: string): number | undefined {
  const x = SEMVER.exec(a);
  const y = SEMVER.exec(b);
  if (!x || !y) return undefined;
  for (let i = 1; i <= 3; i++) {
    const d = Number(x[i]) - Number(y[i]);
    if (d !== 0) return d;
  }
  const [px, py] = [x[4], y[4]];
  if (px === py) return 0;
  if (px === undefined) return 1; // a release outranks its prereleases
  if (py === undefined) return -1;
  const ax = px.split('.');
  const ay = py.split('.');
  for (let i = 0; i < Math.max(ax.length, ay.length); i++) {
    const [s, t] = [ax[i], ay[i]];
    if (s === undefined) return -1;
    if (t === undefined) return 1;
    const [ns, nt] = [/^\d+$/.test(s), /^\d+$/.test(t)];
    if (ns && nt && Number(s) !== Number(t)) return Number(s) - Number(t);
    if (ns !== nt) return ns ? -1 : 1;
    if (s !== t) return s < t ? -1 : 1;
  }
  return 0;
}

/** A version for display: control characters out, length bounded. */
export function safeVersion(version: string): string {
  return plainText(version, MAX_VERSION_LENGTH);
}

/**
 * Release notes as plain text: electron-updater hands over a string (HTML on some
 * providers) or a list of `{ version, note }`. Tags are dropped, a few entities
 * decoded, control characters removed, and the result bounded. The renderer shows
 * it as text, never as HTML.
 */
export function releaseNotesText(notes: unknown): string | undefined {
  let text: string;
  if (typeof notes === 'string') text = notes;
  else if (Array.isArray(notes))
    text = notes
      .slice(0, 50)
      .map(
        (n: { version?: unknown; note?: unknown }) => `${typeof n?.version === 'string' ? `${n.version}\n` : ''}${typeof n?.note === 'string' ? n.note : ''}`,
      )
      .join('\n\n');
  else return undefined;
  // Bound before any regex so the work stays linear in a small input.
  text = text.slice(0, MAX_RELEASE_NOTES * 4);
  text = text
    .replace(/<(br|\/p|\/li|\/h\d)\b[^>]{0,200}>/gi, '\n')
    .replace(/<li\b[^>]{0,200}>/gi, '• ')
    .replace(/<[^>]{0,1000}>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const out = plainText(text, MAX_RELEASE_NOTES, true);
  return out.length > 0 ? out : undefined;
}

function plainText(text: string, max: number, keepNewlines = false): string {
  const cleaned = text.replace(
    keepNewlines
      ? /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g
      : /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g,
    '',
  );
  return cleaned.length > max ? `${cleaned.slice(0, max - 1)}…` : cleaned;
}
