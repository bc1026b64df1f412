import { z } from 'zod';

export const LANGUAGES = ['en', 'it'] as const;
export const THEMES = ['system', 'light', 'dark'] as const;

export const settingsSchema = z.object({
  language: z.enum(LANGUAGES),
  theme: z.enum(THEMES),
});

export const settingsPatchSchema = settingsSchema.partial().strict();

export type Settings = z.infer<typeof settingsSchema>;
/** A key the request sends as undefined is left as it is, like an absent one. */
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
