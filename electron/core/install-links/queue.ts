import type { InstallLinkResult } from '../../../shared/contract';
import type { Emit } from '../events';
import { parseInstallLink } from './parse';

// Holds the one pending link until the renderer takes it, so a link that
// arrives before the window is up (first launch, macOS open-url) is not lost.
// Receiving a link only parses and queues it: nothing is added or started.

export class InstallLinkQueue {
  private pending: InstallLinkResult | undefined;

  constructor(private readonly deps: { emit: Emit }) {}

  /** A link from the operating system (argv, open-url, second instance). The newest one wins. */
  receive(url: string): InstallLinkResult {
    const result = parseInstallLink(url);
    this.pending = result;
    this.deps.emit('installLinkReceived', {});
    return result;
  }

  /** Returns the pending link and clears it. */
  take(): InstallLinkResult | undefined {
    const link = this.pending;
    this.pending = undefined;
    return link;
  }
}
