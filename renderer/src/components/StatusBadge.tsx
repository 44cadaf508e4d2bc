import type { ServerStatus } from '../api';

const LABELS: Record<ServerStatus['state'], string> = {
  stopped: 'Stopped',
  starting: 'Starting',
  connected: 'Connected',
  error: 'Error',
  crashed: 'Crashed',
};

/** `live` announces changes (the server's own header); inside a list button it is plain text, part of the button's name. */
export function StatusBadge({ status, live = true }: { status: ServerStatus; live?: boolean }) {
  const label = status.authRequired ? 'Sign-in needed' : LABELS[status.state];
  return (
    <span
      className={`badge state-${status.authRequired ? 'auth' : status.state}`}
      role={live ? 'status' : undefined}
      aria-label={live ? `Status: ${label}` : undefined}
    >
      <span className="dot" aria-hidden="true" />
      {label}
    </span>
  );
}
