import { z } from 'zod';
import { event, method } from './define';

// Auto-update. Nothing downloads or installs without the user asking: checking
// fetches only the update manifest; Download and Install are separate,
// explicit requests. The feed URL is fixed at build time (app-update.yml), never
// a setting: the settings hold only the off switch and the channel.

export const UpdateChannel = z.enum(['stable', 'beta']);
export type UpdateChannel = z.infer<typeof UpdateChannel>;

/** An update the server offers. Release notes are plain text, bounded by the core. */
export const UpdateOffer = z.object({
  version: z.string(),
  releaseNotes: z.string().optional(),
  releaseDate: z.string().optional(),
});
export type UpdateOffer = z.infer<typeof UpdateOffer>;

export const UpdateProgress = z.object({
  /** 0–100. */
  percent: z.number(),
  transferred: z.number(),
  total: z.number(),
  bytesPerSecond: z.number(),
});
export type UpdateProgress = z.infer<typeof UpdateProgress>;

export const UpdateState = z.discriminatedUnion('state', [
  /** Switched off in the settings: no request is made at all. */
  z.object({ state: z.literal('disabled') }),
  /** This build cannot update itself (a development build, a format without an updater). */
  z.object({ state: z.literal('unsupported'), reason: z.string() }),
  z.object({
    state: z.literal('idle'),
    /** When the last check finished (epoch ms). */
    checkedAt: z.number().optional(),
    /** What the server offers when it is not newer: the same version, or an older one (never installed: no downgrades). */
    latest: z.object({ version: z.string(), older: z.boolean() }).optional(),
  }),
  z.object({ state: z.literal('checking') }),
  z.object({ state: z.literal('available'), offer: UpdateOffer }),
  z.object({ state: z.literal('downloading'), offer: UpdateOffer, progress: UpdateProgress }),
  z.object({ state: z.literal('downloaded'), offer: UpdateOffer, installOnQuit: z.boolean() }),
  z.object({
    state: z.literal('error'),
    during: z.enum(['check', 'download', 'install']),
    message: z.string(),
    /** The offer a failed download was for: Retry downloads it again. */
    offer: UpdateOffer.optional(),
  }),
]);
export type UpdateState = z.infer<typeof UpdateState>;

export const UpdateStatus = z.object({
  currentVersion: z.string(),
  enabled: z.boolean(),
  channel: UpdateChannel,
  update: UpdateState,
});
export type UpdateStatus = z.infer<typeof UpdateStatus>;

export const updatesMethods = {
  getUpdateStatus: method(z.object({}), UpdateStatus),
  /** The off switch and the channel. Switching off cancels a download under way. */
  setUpdateSettings: method(z.object({ enabled: z.boolean().optional(), channel: UpdateChannel.optional() }), UpdateStatus),
  /** Fetches the channel's manifest. Never downloads. */
  checkForUpdates: method(z.object({}), UpdateStatus),
  /** The user agreed to download the offered update (verified against the manifest's sha512). */
  downloadUpdate: method(z.object({}), UpdateStatus),
  cancelUpdateDownload: method(z.object({}), UpdateStatus),
  /** `now`: quit and install at once; `on-quit`: install (or not) when Switchboard quits. */
  installUpdate: method(
    z.discriminatedUnion('when', [z.object({ when: z.literal('now') }), z.object({ when: z.literal('on-quit'), enabled: z.boolean() })]),
    UpdateStatus,
  ),
};

export const updatesEvents = {
  updateStatusChanged: event(UpdateStatus),
};
