import { z } from 'zod';
import { event, method } from './define';

// Install links: a `switchboard://install?...` link (or the shape VS Code and
// Cursor publish) only ever prefills the Add-server form. It never adds or
// starts anything; adding follows the normal path, launch approval included.

export const InstallLinkSource = z.enum(['switchboard', 'vscode', 'cursor']);
export type InstallLinkSource = z.infer<typeof InstallLinkSource>;

/** An env var or header from a link. A secret-looking value is never prefilled: the user types it. */
export const InstallLinkValue = z.object({
  name: z.string(),
  secret: z.boolean(),
  value: z.string().optional(),
});
export type InstallLinkValue = z.infer<typeof InstallLinkValue>;

export const InstallLinkServer = z.discriminatedUnion('transport', [
  z.object({
    transport: z.literal('stdio'),
    name: z.string(),
    command: z.string(),
    args: z.array(z.string()),
    cwd: z.string().optional(),
    env: z.array(InstallLinkValue),
  }),
  z.object({
    transport: z.literal('http'),
    name: z.string(),
    url: z.string(),
    mode: z.enum(['auto', 'streamable-http', 'sse']),
    headers: z.array(InstallLinkValue),
  }),
]);
export type InstallLinkServer = z.infer<typeof InstallLinkServer>;

/** What a link became: a prefill for the form, or why it was refused. */
export const InstallLinkResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), server: InstallLinkServer, source: InstallLinkSource, warnings: z.array(z.string()) }),
  z.object({ ok: z.literal(false), reason: z.string() }),
]);
export type InstallLinkResult = z.infer<typeof InstallLinkResult>;

export const installLinksMethods = {
  /** Returns the pending link and clears it (a link that arrived before the window was up is kept until then). */
  takeInstallLink: method(z.object({}), z.object({ link: InstallLinkResult.optional() })),
};

export const installLinksEvents = {
  /** A link arrived: call takeInstallLink. */
  installLinkReceived: event(z.object({})),
};
