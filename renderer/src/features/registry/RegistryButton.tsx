import { RegistryDialog } from './RegistryDialog';
import { useRegistryDialog } from './store';

/** "Browse registry…" for the server list header. */
export function RegistryButton() {
  const { open, settings, show, close } = useRegistryDialog();
  return (
    <>
      <button type="button" onClick={() => show()}>
        Browse registry…
      </button>
      {open && <RegistryDialog onClose={close} settings={settings} />}
    </>
  );
}
