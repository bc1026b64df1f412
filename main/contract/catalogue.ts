import { z } from 'zod';
import { apiErrorSchema } from './errors';
import { translationsSchema } from './translations';
import { TARGETS } from './targets';

export const templateCardSchema = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  version: z.string(),
  icon: z.string().optional(),
  components: z.array(z.string()),
  source: z.enum(['built-in', 'site']),
  file: z.string(),
  /** The template's words in other languages, for its card and its form (the renderer picks the user's). */
  translations: translationsSchema.optional(),
  /** The site's targets (kube always; IM and the dispatcher when the profile names them) and whether each can take the template as it stands by default: the capability check's verdict. */
  targets: z.array(z.object({ kind: z.enum(TARGETS), ok: z.boolean() })).optional(),
});

export const templateErrorCardSchema = z.object({
  file: z.string(),
  error: apiErrorSchema,
});

export const templateListSchema = z.object({
  templates: z.array(templateCardSchema),
  errors: z.array(templateErrorCardSchema),
});

export type TemplateCard = z.infer<typeof templateCardSchema>;
export type TemplateErrorCard = z.infer<typeof templateErrorCardSchema>;
