import type { ServerStatus } from '../api';

const LABELS: Record<ServerStatus['state'], string> = {
  stopped: 'Stopped',
  starting: 'Starting',
  connected: 'Connected',
  error: 'Error',
  crashed: 'Crashed',
};

export function StatusBadge({ status }: { status: ServerStatus }) {
  const label = status.authRequired ? 'Sign-in needed' : LABELS[status.state];
  return (
    <span className={`badge state-${status.authRequired ? 'auth' : status.state}`} role="status" aria-label={`Status: ${label}`}>
      <span className="dot" aria-hidden="true" />
      {label}
    </span>
  );
}
