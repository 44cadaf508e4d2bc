import { useState } from 'react';
import { ExportDialog } from './ExportDialog';
import { ImportDialog } from './ImportDialog';

/** "Import from…" and "Export to…" for the server list header. */
export function ClientConfigsButtons({ serverIds }: { serverIds?: string[] }) {
  const [open, setOpen] = useState<'import' | 'export'>();
  return (
    <>
      <button type="button" onClick={() => setOpen('import')}>
        Import from…
      </button>
      <button type="button" onClick={() => setOpen('export')} disabled={serverIds !== undefined && serverIds.length === 0}>
        Export to…
      </button>
      {open === 'import' && <ImportDialog onClose={() => setOpen(undefined)} />}
      {open === 'export' && <ExportDialog preselected={serverIds} onClose={() => setOpen(undefined)} />}
    </>
  );
}
