import { z } from 'zod';

export const LANGUAGES = ['en', 'it'] as const;
export const THEMES = ['system', 'light', 'dark'] as const;

export const settingsSchema = z.object({
  language: z.enum(LANGUAGES),
  theme: z.enum(THEMES),
});

export const settingsPatchSchema = settingsSchema.partial().strict();

export type Settings = z.infer<typeof settingsSchema>;
