import { useState } from 'react';
import { api, errorMessage } from '../../api';

/** Project folders to look in as well (.mcp.json, .cursor/mcp.json, .vscode/mcp.json), picked with the OS folder dialog. */
export function ProjectFolders({ folders, onChange }: { folders: string[]; onChange: (folders: string[]) => void }) {
  const [error, setError] = useState<string>();
  async function add() {
    try {
      const picked = await api.chooseFolder({ title: 'Look for MCP configs in this project folder' });
      if (!picked.supported) setError('No folder picker is available here.');
      else if (picked.path && !folders.includes(picked.path)) onChange([...folders, picked.path]);
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  return (
    <div className="toolbar">
      <button type="button" onClick={() => void add()}>
        Add a project folder…
      </button>
      {folders.map((f) => (
        <span key={f} className="chips">
          <code>{f}</code>{' '}
          <button type="button" className="icon" aria-label={`Stop looking in ${f}`} onClick={() => onChange(folders.filter((x) => x !== f))}>
            ×
          </button>
        </span>
      ))}
      {error && <span className="field-error">{error}</span>}
    </div>
  );
}
