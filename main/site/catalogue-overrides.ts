/**
 * The bridge from the site profile to the catalogue: which folders to load,
 * what each template's defaults, presets, locks and ranges become, whether
 * those overrides respect the templates as written, and whether a user's
 * values respect the locks.
 */
import path from 'node:path';
import { builtinTemplatesDir } from '../catalogue/builtin';
import type { CatalogueOptions } from '../catalogue/catalogue';
import type { TemplateOverride } from '../catalogue/overrides';
import { quantitySize } from '../catalogue/quantity';
import type { Parameter } from '../catalogue/schema/parameters';
import type { LoadedTemplate } from '../catalogue/template';
import { sameValue, valueProblem, type ParameterValue } from '../catalogue/values';
import { AfpError, type ApiErrorShape } from '../errors';
import type { ActiveProfile } from './active-profile';
import { profileError } from './profile-parse';

/** The catalogue's options for this profile: built-ins first, then the site's folders. */
export function catalogueInput(
  active: ActiveProfile | null,
): CatalogueOptions & { dirs: string[]; overrides: Record<string, TemplateOverride>; hidden: string[] } {
  const section = active?.profile.templates;
  const dirs = [builtinTemplatesDir(), ...(section?.folders ?? [])];
  if (section === undefined) return { dirs, overrides: {}, hidden: [] };
  const overrides: Record<string, TemplateOverride> = {};
  const entry = (template: string): TemplateOverride => (overrides[template] ??= {});
  for (const [template, defaults] of Object.entries(section.defaults)) entry(template).defaults = { ...defaults };
  for (const [template, presets] of Object.entries(section.presets)) entry(template).presets = presets.map((preset) => ({ ...preset }));
  for (const [template, locked] of Object.entries(section.locked)) entry(template).locked = { ...locked };
  for (const [template, ranges] of Object.entries(section.ranges)) entry(template).ranges = { ...ranges };
  return { dirs, overrides, hidden: [...(section.hidden ?? [])] };
}

type Range = { min?: number | string | undefined; max?: number | string | undefined };
type Template = Pick<LoadedTemplate, 'name' | 'spec'>;

/**
 * Everything in the profile's templates section that the templates as written
 * contradict: unknown templates or parameters, ranges that widen the
 * template's, defaults, presets or locks of the wrong type or out of range.
 */
export function checkOverrides(active: ActiveProfile, templates: Iterable<Template>): ApiErrorShape[] {
  const section = active.profile.templates;
  if (section === undefined) return [];
  const byName = new Map<string, Template>();
  for (const template of templates) byName.set(template.name, template);
  const errors: ApiErrorShape[] = [];
  const report = (at: PropertyKey[], message: string): void => {
    errors.push(profileError(active.file, active.fieldLines, ['templates', ...at], message));
  };
  const known = [...byName.keys()].sort().join(', ');
  const lookup = (kind: string, name: string): Template | undefined => {
    const found = byName.get(name);
    if (found === undefined) report([kind, name], `no template named "${name}" (known: ${known})`);
    return found;
  };
  const paramOf = (at: PropertyKey[], template: Template, param: string): Parameter | undefined => {
    const own = template.spec.parameters ?? {};
    const found = own[param];
    if (found === undefined) report(at, `template "${template.name}" has no parameter "${param}" (it has: ${Object.keys(own).join(', ')})`);
    return found;
  };

  for (const [name, ranges] of Object.entries(section.ranges)) {
    const template = lookup('ranges', name);
    if (template === undefined) continue;
    for (const [param, range] of Object.entries(ranges)) {
      const at = ['ranges', name, param];
      const spec = paramOf(at, template, param);
      if (spec === undefined) continue;
      const problems = rangeProblems(spec, range);
      for (const [key, message] of problems) report(key === undefined ? at : [...at, key], message);
      const overridden = section.defaults[name]?.[param] !== undefined || section.locked[name]?.[param] !== undefined;
      const outside = problems.length === 0 && !overridden ? valueProblem(narrowed(spec, range), spec.default) : undefined;
      if (outside !== undefined)
        report(at, `the template's default does not fit this range (${outside}); set templates.defaults.${name}.${param} as well`);
    }
  }
  const checkValue = (at: PropertyKey[], template: Template, param: string, value: unknown): boolean => {
    const spec = paramOf(at, template, param);
    if (spec === undefined) return false;
    const problem = valueProblem(narrowed(spec, section.ranges[template.name]?.[param]), value);
    if (problem !== undefined) report(at, problem);
    return problem === undefined;
  };
  for (const [name, defaults] of Object.entries(section.defaults)) {
    const template = lookup('defaults', name);
    if (template !== undefined)
      for (const [param, value] of Object.entries(defaults)) checkValue(['defaults', name, param], template, param, value);
  }
  for (const [name, locks] of Object.entries(section.locked)) {
    const template = lookup('locked', name);
    if (template === undefined) continue;
    for (const [param, lock] of Object.entries(locks)) {
      if (!checkValue(['locked', name, param, 'value'], template, param, lock.value)) continue;
      const clash = clashingPreset(template, section.presets[name] ?? [], param, lock.value);
      if (clash !== undefined) {
        report(
          ['locked', name, param],
          `the template's preset "${clash.name}" sets ${param} to ${String(clash.value)}, which this lock refuses: give a site preset named "${clash.name}" under templates.presets.${name}`,
        );
      }
    }
  }
  for (const [name, presets] of Object.entries(section.presets)) {
    const template = lookup('presets', name);
    if (template === undefined) continue;
    presets.forEach((preset, index) => {
      for (const [param, value] of Object.entries(preset.values))
        checkValue(['presets', name, index, 'values', param], template, param, value);
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
  parameters?: Readonly<Record<string, Parameter>>,
): AfpError[] {
  const locks = active?.profile.templates?.locked[template];
  if (active === null || locks === undefined) return [];
  const errors: AfpError[] = [];
  for (const [param, lock] of Object.entries(locks)) {
    const given = values[param];
    if (!Object.hasOwn(values, param) || given === undefined || given === null) continue;
    if (sameAsLocked(parameters?.[param], given, lock.value)) continue;
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

/** 7 and "7" (from --set) are the same number; 4Gi and 4096Mi the same memory when the parameter says so. */
function sameAsLocked(parameter: Parameter | undefined, given: unknown, locked: ParameterValue): boolean {
  if (given === locked) return true;
  if (typeof given === 'string' && typeof locked === 'number') return given.trim() !== '' && Number(given) === locked;
  if (typeof given === 'number' && typeof locked === 'string')
    return locked.trim() !== '' && Number(locked) === given && parameter?.type !== 'string';
  if (parameter === undefined || (typeof given !== 'string' && typeof given !== 'number')) return false;
  return sameValue(parameter, given, locked);
}

/** A preset of the template, not replaced by the site, that would set a locked parameter to another value. */
function clashingPreset(
  template: Template,
  sitePresets: readonly { name: string }[],
  param: string,
  locked: ParameterValue,
): { name: string; value: unknown } | undefined {
  const replaced = new Set(sitePresets.map((preset) => preset.name));
  const parameter = template.spec.parameters?.[param];
  for (const preset of template.spec.presets ?? []) {
    const value = preset.values[param];
    if (replaced.has(preset.name) || value === undefined || sameAsLocked(parameter, value, locked)) continue;
    return { name: preset.name, value };
  }
  return undefined;
}

/** The template's parameter with the site's range in force. */
function narrowed(parameter: Parameter, range: Range | undefined): Parameter {
  if (range === undefined || !('min' in parameter)) return parameter;
  return {
    ...parameter,
    ...(range.min === undefined ? {} : { min: range.min }),
    ...(range.max === undefined ? {} : { max: range.max }),
  } as Parameter;
}

/** [field under the range (min / max / none), message] for each way the site range fails the template's. */
function rangeProblems(parameter: Parameter, range: Range): ['min' | 'max' | undefined, string][] {
  if (!('min' in parameter)) return [[undefined, `a ${parameter.type} parameter has no range to narrow`]];
  const size = (q: string | number): number =>
    parameter.type === 'integer' || parameter.type === 'number' ? Number(q) : quantitySize(parameter.type, q);
  const unbounded = { ...parameter, min: undefined, max: undefined } as Parameter;
  const problems: ['min' | 'max' | undefined, string][] = [];
  const bound = (key: 'min' | 'max'): number | undefined => {
    const value = range[key];
    if (value === undefined) return undefined;
    const problem = valueProblem(unbounded, value);
    if (problem !== undefined) problems.push([key, problem]);
    return problem === undefined ? size(value) : undefined;
  };
  const min = bound('min');
  const max = bound('max');
  const ownMin = parameter.min === undefined ? undefined : size(parameter.min);
  const ownMax = parameter.max === undefined ? undefined : size(parameter.max);
  const shown = (q: string | number | undefined): string => String(q);
  if (min !== undefined && ownMin !== undefined && min < ownMin) {
    problems.push(['min', `${shown(range.min)} is below the template's minimum ${shown(parameter.min)}: a site may only narrow a range`]);
  } else if (min !== undefined && ownMax !== undefined && min > ownMax) {
    problems.push(['min', `${shown(range.min)} is above the template's maximum ${shown(parameter.max)}`]);
  }
  if (max !== undefined && ownMax !== undefined && max > ownMax) {
    problems.push(['max', `${shown(range.max)} is above the template's maximum ${shown(parameter.max)}: a site may only narrow a range`]);
  } else if (max !== undefined && ownMin !== undefined && max < ownMin) {
    problems.push(['max', `${shown(range.max)} is below the template's minimum ${shown(parameter.min)}`]);
  }
  if (min !== undefined && max !== undefined && min > max)
    problems.push([undefined, `min ${shown(range.min)} is above max ${shown(range.max)}`]);
  return problems;
}
