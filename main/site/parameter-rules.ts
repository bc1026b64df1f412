/**
 * What a site override may say about one template parameter: whether a value
 * suits the parameter's type, and how big it is, so ranges can be compared.
 * Quantities are read as the scheduler reads them (main/capacity/quantity).
 */
import { toMilli, toUnits } from '../capacity/quantity';

/** The part of a template parameter that site overrides are checked against. */
export interface OverridableParameter {
  /** integer, number, string, boolean, enum, cpu, memory or storage. */
  type: string;
  default?: unknown;
  min?: number | string | undefined;
  max?: number | string | undefined;
  /** The allowed values of an enum parameter. */
  values?: readonly unknown[] | undefined;
}

export interface OverridableTemplate {
  name: string;
  parameters: Readonly<Record<string, OverridableParameter>>;
}

const QUANTITY_TYPES = new Set(['cpu', 'memory', 'storage']);
const NUMERIC_TYPES = new Set(['integer', 'number']);

export function hasRange(param: OverridableParameter): boolean {
  return QUANTITY_TYPES.has(param.type) || NUMERIC_TYPES.has(param.type);
}

/** Comparable size of a value for this parameter, or undefined when it has none. */
export function magnitude(param: OverridableParameter, value: unknown): number | undefined {
  if (NUMERIC_TYPES.has(param.type)) return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  if (!QUANTITY_TYPES.has(param.type) || (typeof value !== 'string' && typeof value !== 'number')) return undefined;
  try {
    return param.type === 'cpu' ? toMilli(value) : toUnits(value);
  } catch {
    return undefined;
  }
}

/** Why `value` is not a value of this parameter's type, or undefined when it is. */
export function typeProblem(param: OverridableParameter, value: unknown): string | undefined {
  const shown = JSON.stringify(value);
  switch (param.type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? undefined : `expected an integer, got ${shown}`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `expected a number, got ${shown}`;
    case 'string':
      return typeof value === 'string' ? undefined : `expected a string, got ${shown}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `expected true or false, got ${shown}`;
    case 'enum': {
      const allowed = param.values ?? [];
      return allowed.includes(value) ? undefined : `expected one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}, got ${shown}`;
    }
    case 'cpu':
    case 'memory':
    case 'storage':
      return magnitude(param, value) === undefined ? `expected a ${param.type} quantity (e.g. ${param.type === 'cpu' ? '2 or 500m' : '4Gi'}), got ${shown}` : undefined;
    default:
      return undefined;
  }
}

/** Two values the user would call the same: 7 and "7", 4Gi and 4096Mi. */
export function sameValue(param: OverridableParameter | undefined, a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (param !== undefined && hasRange(param)) {
    const left = magnitude(param, typeof a === 'string' && NUMERIC_TYPES.has(param.type) ? Number(a) : a);
    const right = magnitude(param, typeof b === 'string' && NUMERIC_TYPES.has(param.type) ? Number(b) : b);
    if (left !== undefined && right !== undefined) return left === right;
  }
  return (typeof a === 'string' || typeof a === 'number' || typeof a === 'boolean') && String(a) === String(b);
}
