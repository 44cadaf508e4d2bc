// switchboard:// links from the operating system: macOS sends `open-url`;
// Windows and Linux start the app with the link in argv, and a second launch
// hands its argv to this instance (`second-instance`, single-instance lock).
// Every link goes to the core, which only parses it into a prefill for the
// Add-server form. Links that arrive before the core exists wait for it.

export const INSTALL_LINK_SCHEME = 'switchboard';

/** The parts of Electron's `app` this module uses (tests pass a stand-in). */
export interface InstallLinkApp {
  setAsDefaultProtocolClient(protocol: string): boolean;
  on(event: 'open-url', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  on(event: 'second-instance', listener: (event: unknown, argv: string[]) => void): unknown;
}

export interface InstallLinkIntake {
  /** Links received so far, and every later one, go to `receive`; then the window is revealed. */
  attach(receive: (url: string) => void, reveal: () => void): void;
}

/** The install link in a command line, if any (the OS passes it as its own argument). */
export function linkFromArgv(argv: readonly string[]): string | undefined {
  return argv.find((arg) => typeof arg === 'string' && arg.toLowerCase().startsWith(`${INSTALL_LINK_SCHEME}:`));
}

/**
 * Listens for links from now on. `register` makes Switchboard the OS handler of
 * switchboard://: only a packaged, non-test build, or a development or e2e run
 * would take the scheme over from the developer's installed app.
 */
export function registerInstallLinks(app: InstallLinkApp, options: { register: boolean; argv: readonly string[] }): InstallLinkIntake {
  if (options.register) app.setAsDefaultProtocolClient(INSTALL_LINK_SCHEME);
  let waiting: string | undefined = linkFromArgv(options.argv);
  let target: { receive: (url: string) => void; reveal: () => void } | undefined;
  const deliver = (url: string | undefined) => {
    if (!url) return;
    if (!target)
      waiting = url; // the newest link wins, as in the core's queue
    else {
      target.receive(url);
      target.reveal();
    }
  };
  app.on('open-url', (event, url) => {
    event.preventDefault();
    deliver(url);
  });
  app.on('second-instance', (_event, argv) => deliver(linkFromArgv(Array.isArray(argv) ? argv : [])));
  return {
    attach(receive, reveal) {
      target = { receive, reveal };
      const first = waiting;
      waiting = undefined;
      if (first) receive(first); // the window opens right after attach at startup
    },
  };
}
