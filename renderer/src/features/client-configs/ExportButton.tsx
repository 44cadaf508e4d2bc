import { useState } from 'react';
import { ExportDialog } from './ExportDialog';

/** "Export to…" for one server (the server detail header). */
export function ExportButton({ serverId, serverName }: { serverId: string; serverName: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" title={`Export ${serverName} to another app`} onClick={() => setOpen(true)}>
        Export to…
      </button>
      {open && <ExportDialog preselected={[serverId]} onClose={() => setOpen(false)} />}
    </>
  );
}
