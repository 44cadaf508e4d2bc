import { z } from 'zod';
import { method } from './define';

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  /** How secrets are protected on this machine: the cipher backend and whether it is real protection. */
  secretStorage: z.object({ backend: z.string(), secure: z.boolean(), allowInsecurePersistence: z.boolean() }),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appMethods = {
  getAppInfo: method(z.object({}), AppInfo),
};
