/**
 * One template file → a checked template: the format (strict, every unknown
 * field an error), parameter defaults inside their own ranges, presets that
 * set only known parameters to valid values.
 */
import path from 'node:path';
import type { ApiErrorShape } from '../errors';
import { errorAt, parseYamlSource, validateSource, type YamlSource } from '../yaml/parse';
import type { Parameter, Preset } from './schema/parameters';
import { templateSourceSchema, type TemplateSource } from './schema/template';
import { iconProblem } from './icons';
import { quantitySize } from './quantity';
import { resolveValues, valueProblem, type EffectiveParameter } from './values';

export type TemplateOrigin = 'built-in' | 'site';

export interface LoadedTemplate {
  name: string;
  file: string;
  origin: TemplateOrigin;
  /** The template as written (after format validation). */
  spec: TemplateSource;
  /** Positions, so later errors (expressions, references) name a line. */
  source: Pick<YamlSource, 'file' | 'lineOf'>;
  /** Parameters in force: the template's, with the site's defaults, ranges and locks applied. */
  parameters: Record<string, EffectiveParameter>;
  /** Presets in force: the template's, replaced or extended by the site's. */
  presets: Preset[];
}

export type TemplateResult = { ok: true; template: LoadedTemplate } | { ok: false; errors: ApiErrorShape[] };

/** Parses and checks a template text; `file` is used in messages. */
export function parseTemplate(text: string, file: string, origin: TemplateOrigin = 'site'): TemplateResult {
  const parsed = parseYamlSource(text, file, 'invalid_template');
  if (!parsed.ok) return parsed;
  const checked = validateSource(parsed.source, templateSourceSchema, 'invalid_template');
  if (!checked.ok) return checked;
  const spec = checked.value;
  const source = { file, lineOf: parsed.source.lineOf };
  const errors = staticProblems(spec, source);
  if (errors.length > 0) return { ok: false, errors };
  const parameters: Record<string, EffectiveParameter> = { ...(spec.parameters ?? {}) };
  return {
    ok: true,
    template: { name: spec.metadata.name, file: path.resolve(file), origin, spec, source, parameters, presets: [...(spec.presets ?? [])] },
  };
}

function staticProblems(spec: TemplateSource, source: Pick<YamlSource, 'file' | 'lineOf'>): ApiErrorShape[] {
  const errors: ApiErrorShape[] = [];
  const report = (at: PropertyKey[], message: string): void => {
    errors.push(errorAt(source, 'invalid_template', at, message));
  };
  const icon = spec.metadata.icon === undefined ? undefined : iconProblem(spec.metadata.icon);
  if (icon !== undefined) report(['metadata', 'icon'], icon);
  const parameters = spec.parameters ?? {};
  for (const [name, parameter] of Object.entries(parameters)) {
    const at = ['parameters', name];
    const bounds = boundsProblem(parameter);
    if (bounds !== undefined) report([...at, 'min'], bounds);
    if (parameter.type === 'string' && parameter.pattern !== undefined && !compiles(parameter.pattern)) {
      report([...at, 'pattern'], `${JSON.stringify(parameter.pattern)} is not a valid regular expression`);
    }
    const problem = bounds === undefined ? valueProblem(parameter, parameter.default) : undefined;
    if (problem !== undefined) report([...at, 'default'], problem);
  }
  const seen = new Set<string>();
  (spec.presets ?? []).forEach((preset, index) => {
    if (seen.has(preset.name)) report(['presets', index, 'name'], `preset "${preset.name}" appears twice`);
    seen.add(preset.name);
    const result = resolveValues(spec.metadata.name, parameters, preset.values, {
      file: source.file,
      lineOf: (path) => source.lineOf(['presets', index, 'values', ...path]),
    });
    if (!result.ok) {
      for (const error of result.errors)
        errors.push({ ...error, code: 'invalid_template', field: `presets[${index}].values.${error.field ?? ''}` });
    }
  });
  return errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function boundsProblem(parameter: Parameter): string | undefined {
  if (!('min' in parameter) || parameter.min === undefined || parameter.max === undefined) return undefined;
  const kind = parameter.type;
  const size = (q: string | number): number =>
    kind === 'cpu' || kind === 'memory' || kind === 'storage' ? quantitySize(kind, q) : Number(q);
  return size(parameter.min) > size(parameter.max) ? `min ${String(parameter.min)} is above max ${String(parameter.max)}` : undefined;
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
