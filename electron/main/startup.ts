// Startup either finishes or ends the process. A failure that left the process
// alive would keep the single-instance lock with no window, and every later
// launch would silently hand over to it and quit. So: name the step that
// failed, say where the data folder is, and exit.

export interface StartupDeps {
  app: { exit(code?: number): void };
  dialog: { showErrorBox(title: string, content: string): void };
  /** Where settings and data live; shown to the user. */
  dataDir: () => string;
  log?: (message: string, error?: unknown) => void;
}

/** Marks the step under way, so the error box can say which one failed. */
export type Step = (description: string) => void;

export async function runStartup(deps: StartupDeps, start: (step: Step) => Promise<void> | void): Promise<boolean> {
  let current = 'Starting Switchboard';
  try {
    await start((description) => (current = description));
    return true;
  } catch (error) {
    const log = deps.log ?? console.error;
    log(`[startup] ${current} failed:`, error);
    try {
      deps.dialog.showErrorBox('Switchboard could not start', startupFailureMessage(current, error, safeDataDir(deps.dataDir)));
    } catch (boxError) {
      log('[startup] could not show the error box:', boxError);
    }
    deps.app.exit(1);
    return false;
  }
}

export function startupFailureMessage(step: string, error: unknown, dataDir: string | undefined): string {
  const reason = error instanceof Error ? error.message : String(error);
  return [
    `${step} failed:`,
    reason.split('\n').slice(0, 6).join('\n'),
    '',
    dataDir ? `Your settings and data are in:\n${dataDir}` : 'The data folder could not be determined.',
    '',
    'If a file there is damaged, move it aside (do not delete it) and start Switchboard again.',
  ].join('\n');
}

function safeDataDir(dataDir: () => string): string | undefined {
  try {
    return dataDir();
  } catch {
    return undefined;
  }
}
