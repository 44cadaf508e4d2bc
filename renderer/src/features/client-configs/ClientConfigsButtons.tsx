import { ExportDialog } from './ExportDialog';
import { ImportDialog } from './ImportDialog';
import { useClientConfigDialogs } from './store';

/** "Import from…" and "Export to…" for the server list header (the dialogs also open from the command palette). */
export function ClientConfigsButtons({ serverIds }: { serverIds?: string[] }) {
  const { open, openImport, openExport, close } = useClientConfigDialogs();
  return (
    <>
      <button type="button" onClick={openImport}>
        Import from…
      </button>
      <button type="button" onClick={() => openExport(serverIds)} disabled={serverIds !== undefined && serverIds.length === 0}>
        Export to…
      </button>
      {open?.kind === 'import' && <ImportDialog onClose={close} />}
      {open?.kind === 'export' && <ExportDialog preselected={open.preselected} onClose={close} />}
    </>
  );
}
