import { useState } from 'react';
import { RegistryDialog } from './RegistryDialog';

/** "Browse registry…" for the server list header. */
export function RegistryButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Browse registry…
      </button>
      {open && <RegistryDialog onClose={() => setOpen(false)} />}
    </>
  );
}
