// What went wrong, in words a user can act on. The raw messages of
// electron-updater can quote the whole manifest (and a server's text), so they
// are never shown whole: a known code gets its own sentence, anything else its
// first line, bounded.

export type UpdatePhase = 'check' | 'download' | 'install';

const MAX_DETAIL = 200;

interface ErrorLike {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
}

const NETWORK_LOST = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE', 'ETIMEDOUT']);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export function isCancelled(error: unknown): boolean {
  const e = (error ?? {}) as ErrorLike & { name?: unknown };
  return e.code === 'CANCELLED' || e.name === 'CancellationError';
}

export function describeUpdateError(error: unknown, phase: UpdatePhase): string {
  const e = (error && typeof error === 'object' ? error : { message: String(error) }) as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  const nothingInstalled = phase === 'download' ? ' Nothing was installed.' : '';
  if (code === 'ERR_CHECKSUM_MISMATCH' || /checksum mismatch/i.test(message))
    return 'The downloaded update does not match the checksum (sha512) published in the update manifest, so it was deleted and nothing was installed. Try again later; if it keeps happening, the download is being tampered with.';
  if (code === 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND') return 'The update server has no manifest for this channel. Try the other channel, or try again later.';
  if (code === 'ERR_UPDATER_NO_CHECKSUM') return 'The update manifest gives no checksum for the download, so Switchboard will not download it.';
  if (code === 'ERR_UPDATER_INVALID_VERSION' || code === 'ERR_UPDATER_INVALID_UPDATE_INFO' || code === 'ERR_UPDATER_NO_FILES_PROVIDED')
    return 'The update server sent a manifest Switchboard cannot read. Try again later.';
  if (code === 'ERR_UPDATER_ZIP_FILE_NOT_FOUND' || code === 'ERR_UPDATER_OLD_FILE_NOT_FOUND')
    return 'This update has no download for this kind of installation. Download the new version from the website instead.';
  if (typeof e.statusCode === 'number' || /status \d{3}/.test(message)) {
    const status = typeof e.statusCode === 'number' ? e.statusCode : Number(/status (\d{3})/.exec(message)?.[1]);
    return `The update server answered HTTP ${status}.${nothingInstalled} Try again later.`;
  }
  if (
    NETWORK_LOST.has(code) ||
    /^aborted$|socket hang up|timed out|ERR_CONNECTION_(RESET|CLOSED|ABORTED)|ERR_(NETWORK_CHANGED|INTERNET_DISCONNECTED|TIMED_OUT)|premature close/i.test(
      message,
    )
  )
    return phase === 'download'
      ? 'The connection to the update server was lost during the download.' + nothingInstalled + ' Retry to download it again.'
      : 'The connection to the update server was lost. Check your network and retry.';
  if (UNREACHABLE.has(code) || /ERR_NAME_NOT_RESOLVED|ERR_CONNECTION_REFUSED|ERR_ADDRESS_UNREACHABLE|ERR_PROXY/i.test(message))
    return 'Switchboard could not reach the update server. Check your network (or proxy) and retry.';
  const first = (message.split('\n')[0] ?? '').trim();
  const detail = first.length > MAX_DETAIL ? `${first.slice(0, MAX_DETAIL - 1)}…` : first;
  const what = phase === 'check' ? 'Checking for updates failed' : phase === 'download' ? 'Downloading the update failed' : 'Installing the update failed';
  return `${what}${detail ? `: ${detail}` : '.'}${nothingInstalled}`;
}
