import { useInstallLinks } from './store';

/** Why an install link was not opened (malformed, hostile, or not an install link at all). */
export function InstallLinkRefusal() {
  const { refused, dismiss } = useInstallLinks();
  if (!refused) return null;
  return (
    <div className="banner error" role="alert">
      {refused}{' '}
      <button type="button" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
