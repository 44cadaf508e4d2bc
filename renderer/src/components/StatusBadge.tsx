import type { ServerStatus } from '../api';

const LABELS: Record<ServerStatus['state'], string> = {
  stopped: 'Stopped',
  starting: 'Starting',
  connected: 'Connected',
  error: 'Error',
  crashed: 'Crashed',
};

/** `inButton`: inside a button the state is part of the button's name, never a live region of its own. */
export function StatusBadge({ status, inButton = false }: { status: ServerStatus; inButton?: boolean }) {
  const label = status.authRequired ? 'Sign-in needed' : LABELS[status.state];
  return (
    <span className={`badge state-${status.authRequired ? 'auth' : status.state}`} {...(inButton ? {} : { role: 'status', 'aria-label': `Status: ${label}` })}>
      <span className="dot" aria-hidden="true" />
      {label}
    </span>
  );
}
