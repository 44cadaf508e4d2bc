import { z } from 'zod';
import { method } from './define';

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  /** How secrets are protected on this machine: the cipher backend and whether it is real protection. */
  secretStorage: z.object({ backend: z.string(), secure: z.boolean(), allowInsecurePersistence: z.boolean() }),
  /** Things the user should know from startup (a settings file that was unreadable and moved aside). */
  notices: z.array(z.string()),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appMethods = {
  getAppInfo: method(z.object({}), AppInfo),
  /** The OS folder picker (main process). `supported: false` where there is none (the browser test bridge without one). */
  chooseFolder: method(z.object({ title: z.string().max(200).optional() }), z.object({ supported: z.boolean(), path: z.string().optional() })),
};
