import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { linkFromArgv, registerInstallLinks, type InstallLinkApp } from './install-links';

// The OS side of install links against a stand-in `app` (the module takes it as
// a port, like reopenWindowOnDemand): nothing here imports Electron.

class StandInApp extends EventEmitter {
  readonly registered: string[] = [];
  setAsDefaultProtocolClient(protocol: string) {
    this.registered.push(protocol);
    return true;
  }
}

const LINK = 'switchboard://install?name=x&config=eyJjb21tYW5kIjoibm9kZSJ9';

function setup(options: { register?: boolean; argv?: string[] } = {}) {
  const app = new StandInApp();
  const intake = registerInstallLinks(app as unknown as InstallLinkApp, {
    register: options.register ?? false,
    argv: options.argv ?? ['/usr/bin/switchboard'],
  });
  const received: string[] = [];
  const log: string[] = [];
  const attach = () =>
    intake.attach(
      (url) => {
        received.push(url);
        log.push('receive');
      },
      () => void log.push('reveal'),
    );
  return { app, received, log, attach };
}

describe('install links from the operating system', () => {
  it('registers the switchboard scheme only when asked (packaged, non-test builds)', () => {
    expect(setup({ register: true }).app.registered).toEqual(['switchboard']);
    expect(setup({ register: false }).app.registered).toEqual([]);
  });

  it('a link in the first launch argv (Windows, Linux) reaches the core once it is attached', () => {
    const { received, attach } = setup({ argv: ['/opt/Switchboard/switchboard', '--no-sandbox', LINK] });
    expect(received).toEqual([]);
    attach();
    expect(received).toEqual([LINK]);
  });

  it('macOS open-url: the default handling is prevented, a link before ready waits, later ones reveal the window', () => {
    const { app, received, log, attach } = setup();
    let prevented = 0;
    const event = { preventDefault: () => void prevented++ };
    app.emit('open-url', event, LINK);
    expect(prevented).toBe(1);
    attach();
    expect(received).toEqual([LINK]);
    app.emit('open-url', event, `${LINK}&n=2`);
    expect(received).toEqual([LINK, `${LINK}&n=2`]);
    expect(log.slice(-2)).toEqual(['receive', 'reveal']);
  });

  it('a second launch hands over the link in its argv; one without a link hands over nothing', () => {
    const { app, received, attach } = setup();
    attach();
    app.emit('second-instance', {}, ['C:\\Switchboard\\switchboard.exe', '--allow-file-access-from-files', LINK]);
    app.emit('second-instance', {}, ['C:\\Switchboard\\switchboard.exe']);
    expect(received).toEqual([LINK]);
  });

  it('only an argument that is a switchboard: link counts', () => {
    expect(linkFromArgv(['app', '--flag=switchboard://x', 'https://example.com'])).toBeUndefined();
    expect(linkFromArgv(['app', 'SWITCHBOARD://install?x'])).toBe('SWITCHBOARD://install?x');
  });
});
