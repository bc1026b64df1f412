import { z } from 'zod';
import { apiErrorSchema } from './errors';
import { messageSchema } from './message';
import { valueSchema } from './plan';

export const profileViewSchema = z.object({
  active: z
    .object({
      file: z.string(),
      source: z.enum(['cli', 'settings', 'env', 'system']),
      /** How the source reads to a person: "Settings", "the AFP_PROFILE environment variable"… */
      sourceLabel: messageSchema,
      siteName: z.string(),
      /** The site's logo as a data:image URL (read from the profile's file), when it has one. */
      logo: z.string().optional(),
      /** Where users get help; linked from errors and Settings. */
      supportUrl: z.string().optional(),
      summary: messageSchema,
      lockedSettings: z.array(z.object({ template: z.string(), param: z.string(), value: valueSchema, reason: z.string() })),
      targets: z.object({ dispatcher: z.string().optional(), im: z.string().optional(), kubeContexts: z.array(z.string()).optional() }),
      issuer: z.string().optional(),
      /** The profile declares worker capacity (for sizing without a cluster). */
      hasCapacity: z.boolean(),
    })
    .optional(),
  /** Why the chosen profile (or its latest edit) is not used; with an active profile, the last good one stays. */
  problems: z.array(apiErrorSchema),
  /** The file chosen in Settings, if any. */
  chosenFile: z.string().optional(),
  systemPath: z.string(),
});

export type ProfileView = z.infer<typeof profileViewSchema>;
