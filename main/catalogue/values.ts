/**
 * A user's values (a flat map: `workers: 7`, `workerMemory: 3Gi`) checked
 * against the template's parameters and completed with defaults. Every
 * problem names the parameter; a site lock wins over any value.
 */
import { messageFields, type ApiErrorShape } from '../errors';
import { say, type Message } from '../messages/message';
import { describeValue } from '../yaml/issues';
import type { FieldPath } from '../yaml/positions';
import { quantityMessage, quantityProblem, quantitySize, quantityText } from './quantity';
import type { Parameter } from './schema/parameters';

export type ParameterValue = string | number | boolean;
export type Values = Record<string, ParameterValue>;

/** A parameter as the catalogue offers it: the template's, narrowed by the site. */
export type EffectiveParameter = Parameter & { locked?: { value: ParameterValue; reason: string } };

/** Where the values came from, so errors can name a file and line. */
export interface ValuesOrigin {
  file?: string;
  lineOf?: (path: FieldPath) => number | undefined;
}

export type ResolvedValues = { ok: true; values: Values } | { ok: false; errors: ApiErrorShape[] };

/** Checks `input` and returns every parameter's value (input, else lock, else default). */
export function resolveValues(
  templateName: string,
  parameters: Readonly<Record<string, EffectiveParameter>>,
  input: Readonly<Record<string, unknown>>,
  origin: ValuesOrigin = {},
): ResolvedValues {
  const errors: ApiErrorShape[] = [];
  const report = (name: string, message: Message, code: ApiErrorShape['code'] = 'invalid_input'): void => {
    const shape: ApiErrorShape = { code, ...messageFields(message), field: name };
    if (origin.file !== undefined) shape.file = origin.file;
    const line = origin.lineOf?.([name]);
    if (line !== undefined) shape.line = line;
    errors.push(shape);
  };
  for (const name of Object.keys(input)) {
    if (!Object.hasOwn(parameters, name)) {
      const known = Object.keys(parameters);
      report(
        name,
        known.length === 0
          ? say('values.unknownParameterNone', { name, template: templateName })
          : say('values.unknownParameter', { name, template: templateName, known: known.join(', ') }),
      );
    }
  }
  const values: Values = {};
  for (const [name, parameter] of Object.entries(parameters)) {
    const given = input[name];
    if (given === undefined || given === null) {
      values[name] = normalise(parameter, parameter.locked?.value ?? parameter.default);
      continue;
    }
    const problem = valueMessage(parameter, given);
    if (problem !== undefined) {
      report(name, problem);
      continue;
    }
    const value = normalise(parameter, given as ParameterValue);
    if (parameter.locked !== undefined && !sameValue(parameter, value, parameter.locked.value)) {
      report(name, say('values.lockedBySite', { value: String(parameter.locked.value), reason: parameter.locked.reason }), 'locked');
      continue;
    }
    values[name] = value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
}

/** Why `value` does not suit the parameter (type, range, allowed values), or undefined. */
export function valueProblem(parameter: Parameter, value: unknown): string | undefined {
  return valueMessage(parameter, value)?.text;
}

/** The same, as a message the renderer can put in the user's language. */
export function valueMessage(parameter: Parameter, value: unknown): Message | undefined {
  const got = describeValue(value);
  switch (parameter.type) {
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return say('values.expectedInteger', { got });
      return rangeProblem(value, parameter.min, parameter.max, String);
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return say('values.expectedNumber', { got });
      return rangeProblem(value, parameter.min, parameter.max, String);
    case 'boolean':
      return typeof value === 'boolean' ? undefined : say('values.expectedBoolean', { got });
    case 'string':
      if (typeof value !== 'string') return say('values.expectedString', { got });
      if (parameter.maxLength !== undefined && value.length > parameter.maxLength)
        return say('values.tooLong', { max: parameter.maxLength });
      if (parameter.pattern !== undefined && !new RegExp(`^(?:${parameter.pattern})$`).test(value)) {
        return say('values.patternMismatch', { got, pattern: parameter.pattern });
      }
      return undefined;
    case 'enum':
      return typeof value === 'string' && parameter.values.includes(value)
        ? undefined
        : say('values.expectedOneOf', { allowed: parameter.values.map((v) => JSON.stringify(v)).join(', '), got });
    case 'cpu':
    case 'memory':
    case 'storage': {
      const problem = quantityMessage(parameter.type, value);
      if (problem !== undefined) return problem;
      const kind = parameter.type;
      const size = (q: string | number): number => quantitySize(kind, q);
      const shown = (q: string | number): string => JSON.stringify(quantityText(q));
      return rangeProblem(
        size(value as string | number),
        min(parameter, size),
        max(parameter, size),
        () => shown(value as string | number),
        parameter,
      );
    }
  }
}

function min(parameter: { min?: string | number | undefined }, size: (q: string | number) => number): number | undefined {
  return parameter.min === undefined ? undefined : size(parameter.min);
}

function max(parameter: { max?: string | number | undefined }, size: (q: string | number) => number): number | undefined {
  return parameter.max === undefined ? undefined : size(parameter.max);
}

function rangeProblem(
  size: number,
  lower: number | undefined,
  upper: number | undefined,
  shown: (size: number) => string,
  quantity?: { min?: string | number | undefined; max?: string | number | undefined },
): Message | undefined {
  if (lower !== undefined && size < lower)
    return say('values.belowMinimum', { got: shown(size), min: quantity?.min === undefined ? lower : quantityText(quantity.min) });
  if (upper !== undefined && size > upper)
    return say('values.aboveMaximum', { got: shown(size), max: quantity?.max === undefined ? upper : quantityText(quantity.max) });
  return undefined;
}

/** Quantities become the text a manifest carries; everything else is kept. */
function normalise(parameter: Parameter, value: ParameterValue): ParameterValue {
  if (parameter.type === 'cpu' || parameter.type === 'memory' || parameter.type === 'storage')
    return quantityText(value as string | number);
  return value;
}

/** 4Gi and 4096Mi are the same memory; 7 and 7 the same integer. */
export function sameValue(parameter: Parameter, a: ParameterValue, b: ParameterValue): boolean {
  if (a === b) return true;
  if (parameter.type === 'cpu' || parameter.type === 'memory' || parameter.type === 'storage') {
    if (quantityProblem(parameter.type, a) !== undefined || quantityProblem(parameter.type, b) !== undefined) return false;
    return quantitySize(parameter.type, a as string | number) === quantitySize(parameter.type, b as string | number);
  }
  return false;
}
