/**
 * A site's say over a template: new defaults, narrower ranges, locked values
 * (with the admin's reason) and its own presets. The site profile checks the
 * overrides against the templates; here they are applied.
 */
import type { ParameterValue, EffectiveParameter } from './values';
import type { LoadedTemplate } from './template';

export interface TemplateOverride {
  defaults?: Record<string, ParameterValue>;
  /** Replace the template's presets of the same name; others are added. */
  presets?: { name: string; title?: string | undefined; description?: string | undefined; values: Record<string, unknown> }[];
  locked?: Record<string, { value: ParameterValue; reason: string }>;
  ranges?: Record<string, { min?: number | string | undefined; max?: number | string | undefined }>;
}

/** The template as the site offers it. Unknown parameters are ignored (the profile reports them). */
export function applyOverride(template: LoadedTemplate, override: TemplateOverride | undefined): LoadedTemplate {
  if (override === undefined) return template;
  const parameters: Record<string, EffectiveParameter> = {};
  for (const [name, parameter] of Object.entries(template.parameters)) {
    let next: EffectiveParameter = { ...parameter };
    const range = override.ranges?.[name];
    if (range !== undefined && 'min' in next) {
      next = {
        ...next,
        ...(range.min === undefined ? {} : { min: range.min }),
        ...(range.max === undefined ? {} : { max: range.max }),
      } as EffectiveParameter;
    }
    const fallback = override.defaults?.[name];
    if (fallback !== undefined) next = { ...next, default: fallback } as EffectiveParameter;
    const lock = override.locked?.[name];
    if (lock !== undefined)
      next = { ...next, default: lock.value, locked: { value: lock.value, reason: lock.reason } } as EffectiveParameter;
    parameters[name] = next;
  }
  const presets = [...template.presets];
  for (const preset of override.presets ?? []) {
    const index = presets.findIndex((existing) => existing.name === preset.name);
    if (index >= 0) presets[index] = preset;
    else presets.push(preset);
  }
  return { ...template, parameters, presets };
}
