/**
 * The bridge from the site profile to the catalogue: which folders to load,
 * what each template's defaults, presets, locks and ranges become, whether
 * those overrides respect the templates, and whether a user's values respect
 * the locks.
 */
import path from 'node:path';
import { AfpError, type ApiErrorShape } from '../errors';
import type { ActiveProfile } from './profile-load';
import type { ParameterValue, SiteProfile } from './profile-schema';
import { hasRange, magnitude, sameValue, typeProblem, type OverridableParameter, type OverridableTemplate } from './parameter-rules';
import { fieldPath } from './yaml-positions';

export type { OverridableParameter, OverridableTemplate } from './parameter-rules';

type Preset = NonNullable<SiteProfile['templates']>['presets'][string][number];

export interface TemplateOverride {
  defaults?: Record<string, ParameterValue>;
  presets?: Preset[];
  locked?: Record<string, { value: ParameterValue; reason: string }>;
  ranges?: Record<string, { min?: number | string; max?: number | string }>;
}

export interface CatalogueInput {
  /** Site template folders (absolute), after the built-in folder the catalogue adds itself. */
  dirs: string[];
  overrides: Record<string, TemplateOverride>;
  /** Templates the site does not offer. */
  hidden: string[];
}

/** The catalogue's input for this profile; no profile means built-ins only, unchanged. */
export function catalogueInput(active: ActiveProfile | null): CatalogueInput {
  const section = active?.profile.templates;
  if (section === undefined) return { dirs: [], overrides: {}, hidden: [] };
  const overrides: Record<string, TemplateOverride> = {};
  const entry = (template: string): TemplateOverride => (overrides[template] ??= {});
  for (const [template, defaults] of Object.entries(section.defaults)) entry(template).defaults = { ...defaults };
  for (const [template, presets] of Object.entries(section.presets)) entry(template).presets = presets.map((preset) => ({ ...preset }));
  for (const [template, locked] of Object.entries(section.locked)) entry(template).locked = { ...locked };
  for (const [template, ranges] of Object.entries(section.ranges)) entry(template).ranges = { ...ranges };
  return { dirs: [...section.folders], overrides, hidden: [...(section.hidden ?? [])] };
}

/**
 * Everything in the profile's templates section that the loaded templates
 * contradict: unknown templates or parameters, ranges that widen the
 * template's, and defaults, presets or locks of the wrong type or out of range.
 */
export function checkOverrides(active: ActiveProfile, templates: Iterable<OverridableTemplate>): ApiErrorShape[] {
  const section = active.profile.templates;
  if (section === undefined) return [];
  const byName = new Map<string, OverridableTemplate>();
  for (const template of templates) byName.set(template.name, template);
  const errors: ApiErrorShape[] = [];
  const report = (at: PropertyKey[], message: string): void => {
    const field = fieldPath(['templates', ...at]);
    const shape: ApiErrorShape = { code: 'invalid_profile', message, file: active.file, field };
    const line = active.fieldLines[field];
    if (line !== undefined) shape.line = line;
    errors.push(shape);
  };
  const known = [...byName.keys()].sort().join(', ');
  const lookup = (kind: string, template: string): OverridableTemplate | undefined => {
    const found = byName.get(template);
    if (found === undefined) report([kind, template], `no template named "${template}" (known: ${known})`);
    return found;
  };
  const paramOf = (at: PropertyKey[], template: OverridableTemplate, param: string): OverridableParameter | undefined => {
    const found = template.parameters[param];
    if (found === undefined) report(at, `template "${template.name}" has no parameter "${param}" (it has: ${Object.keys(template.parameters).join(', ')})`);
    return found;
  };

  for (const [name, ranges] of Object.entries(section.ranges)) {
    const template = lookup('ranges', name);
    if (template === undefined) continue;
    for (const [param, range] of Object.entries(ranges)) {
      const spec = paramOf(['ranges', name, param], template, param);
      if (spec === undefined) continue;
      const before = errors.length;
      checkRange(spec, range, (key, message) => report(['ranges', name, param, ...key], message));
      const overridden = section.defaults[name]?.[param] !== undefined || section.locked[name]?.[param] !== undefined;
      const outside = errors.length === before && !overridden && spec.default !== undefined ? rangeProblem(spec, range, spec.default) : undefined;
      if (outside !== undefined) report(['ranges', name, param], `the template's default does not fit: ${outside}; set templates.defaults.${name}.${param} as well`);
    }
  }
  const checkValue = (at: PropertyKey[], template: OverridableTemplate, param: string, value: unknown): void => {
    const spec = paramOf(at, template, param);
    if (spec === undefined) return;
    const problem = typeProblem(spec, value) ?? rangeProblem(spec, section.ranges[template.name]?.[param], value);
    if (problem !== undefined) report(at, problem);
  };
  for (const [name, defaults] of Object.entries(section.defaults)) {
    const template = lookup('defaults', name);
    if (template !== undefined) for (const [param, value] of Object.entries(defaults)) checkValue(['defaults', name, param], template, param, value);
  }
  for (const [name, locks] of Object.entries(section.locked)) {
    const template = lookup('locked', name);
    if (template !== undefined) for (const [param, lock] of Object.entries(locks)) checkValue(['locked', name, param, 'value'], template, param, lock.value);
  }
  for (const [name, presets] of Object.entries(section.presets)) {
    const template = lookup('presets', name);
    if (template === undefined) continue;
    presets.forEach((preset, index) => {
      for (const [param, value] of Object.entries(preset.values)) checkValue(['presets', name, index, 'values', param], template, param, value);
    });
  }
  (section.hidden ?? []).forEach((name, index) => {
    if (!byName.has(name)) report(['hidden', index], `no template named "${name}" (known: ${known})`);
  });
  return errors;
}

/**
 * One error (code `locked`) per value that differs from a value the site
 * locked, naming the profile and the admin's reason. Pass the template's
 * parameters so that equal quantities written differently (4Gi, 4096Mi) pass.
 */
export function enforceLocks(
  template: string,
  values: Readonly<Record<string, unknown>>,
  active: ActiveProfile | null,
  parameters?: Readonly<Record<string, OverridableParameter>>,
): AfpError[] {
  const locks = active?.profile.templates?.locked[template];
  if (active === null || locks === undefined) return [];
  const errors: AfpError[] = [];
  for (const [param, lock] of Object.entries(locks)) {
    if (!Object.hasOwn(values, param) || values[param] === undefined) continue;
    if (sameValue(parameters?.[param], values[param], lock.value)) continue;
    errors.push(
      new AfpError(
        'locked',
        `cannot be changed: the site profile "${active.profile.site.name}" (${path.basename(active.file)}) locks it to ${String(lock.value)}. Reason: ${lock.reason}`,
        { field: param },
      ),
    );
  }
  return errors;
}

type Range = { min?: number | string | undefined; max?: number | string | undefined };

function checkRange(spec: OverridableParameter, range: Range, report: (at: string[], message: string) => void): void {
  if (!hasRange(spec)) {
    report([], `a ${spec.type} parameter has no range to narrow`);
    return;
  }
  const bound = (key: 'min' | 'max'): number | undefined => {
    const value = range[key];
    if (value === undefined) return undefined;
    const size = magnitude(spec, value);
    if (size === undefined) report([key], typeProblem(spec, value) ?? `${JSON.stringify(value)} is not a ${spec.type} value`);
    return size;
  };
  const min = bound('min');
  const max = bound('max');
  const templateMin = spec.min === undefined ? undefined : magnitude(spec, spec.min);
  const templateMax = spec.max === undefined ? undefined : magnitude(spec, spec.max);
  if (min !== undefined && templateMin !== undefined && min < templateMin) {
    report(['min'], `${String(range.min)} is below the template's minimum ${String(spec.min)}: a site may only narrow a range`);
  }
  if (max !== undefined && templateMax !== undefined && max > templateMax) {
    report(['max'], `${String(range.max)} is above the template's maximum ${String(spec.max)}: a site may only narrow a range`);
  }
  if (min !== undefined && templateMax !== undefined && min > templateMax) {
    report(['min'], `${String(range.min)} is above the template's maximum ${String(spec.max)}`);
  }
  if (max !== undefined && templateMin !== undefined && max < templateMin) {
    report(['max'], `${String(range.max)} is below the template's minimum ${String(spec.min)}`);
  }
  if (min !== undefined && max !== undefined && min > max) report([], `min ${String(range.min)} is above max ${String(range.max)}`);
}

/** Why a value falls outside the range in force (the site's if narrowed, else the template's). */
function rangeProblem(spec: OverridableParameter, siteRange: Range | undefined, value: unknown): string | undefined {
  const size = magnitude(spec, value);
  if (size === undefined) return undefined;
  const min = siteRange?.min ?? spec.min;
  const max = siteRange?.max ?? spec.max;
  const minSize = min === undefined ? undefined : magnitude(spec, min);
  const maxSize = max === undefined ? undefined : magnitude(spec, max);
  const whose = (own: unknown): string => (own === undefined ? "the template's" : "the site's");
  if (minSize !== undefined && size < minSize) return `${String(value)} is below ${whose(siteRange?.min)} minimum ${String(min)}`;
  if (maxSize !== undefined && size > maxSize) return `${String(value)} is above ${whose(siteRange?.max)} maximum ${String(max)}`;
  return undefined;
}
