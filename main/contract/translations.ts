/**
 * A template's words in other languages (`translations: { it: {…} }`): its
 * title and description, group names, each parameter's title, help, unit and
 * value labels, each preset's title and description, the IM shape's summary. What a language leaves
 * out stays as the template writes it. The template format and the
 * contract share this schema (templates.get sends it on to the renderer).
 */
import { z } from 'zod';

const text = z.string().min(1);

export const templateTranslationSchema = z.strictObject({
  title: text.optional(),
  description: text.optional(),
  groups: z.record(z.string(), text).optional().describe('A group name as the parameters write it → its name in this language'),
  parameters: z
    .record(
      z.string(),
      z.strictObject({
        title: text.optional(),
        help: text.optional(),
        unit: text.optional(),
        labels: z.record(z.string(), text).optional(),
      }),
    )
    .optional(),
  presets: z.record(z.string(), z.strictObject({ title: text.optional(), description: text.optional() })).optional(),
  im: z.strictObject({ summary: text.optional() }).optional().describe("The IM shape's paragraph (`im.summary`) in this language"),
});

export const translationsSchema = z
  .record(z.string().regex(/^[a-z]{2}$/, { error: 'a language is a two-letter code such as it' }), templateTranslationSchema)
  .describe("The template's words in other languages, by two-letter code (it: Italian)");

export type TemplateTranslation = z.output<typeof templateTranslationSchema>;
export type Translations = z.output<typeof translationsSchema>;
