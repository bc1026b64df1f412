/**
 * Fills `{{name}}` placeholders the way i18next does (no escaping: React
 * escapes, and the CLI prints text), so one sentence serves the core's
 * English text and the renderer's catalogues alike.
 */
/** A parameter is a value, or a message of its own (put in the same language as the sentence around it). */
export type ParamValue = string | number | { text: string };

export function formatTemplate(template: string, params: Readonly<Record<string, ParamValue>>): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'object' ? value.text : String(value);
  });
}

/** The placeholder names a sentence uses, to check that a translation uses the same ones. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((match) => match[1] as string).sort();
}
