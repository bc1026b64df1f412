/**
 * Kubernetes quantities as the scheduler counts them: CPU in integer
 * millicores (MilliValue, rounded up), everything else in integer base units
 * (Value, rounded up). Parsing goes through the official client's
 * `quantityToScalar`; results are memoised because a big cluster repeats the
 * same few strings hundreds of thousands of times.
 */
import { findSuffix, quantityToScalar } from '@kubernetes/client-node/dist/util.js';
import { AfpError } from '../errors';

export type QuantityInput = string | number;

const milliCache = new Map<string, number>();
const unitCache = new Map<string, number>();
const CACHE_LIMIT = 10_000;

/** The helper's value: a bigint when whole (k, Mi, Gi…), a float for plain, m, u, n. */
function scalarOf(quantity: string): number | bigint {
  try {
    return quantityToScalar(quantity);
  } catch {
    // The client's helper takes only integers before a k/M/Gi… suffix; "1.5Gi" is a valid
    // Kubernetes quantity, so scale the decimal part by the helper's own value of the suffix.
    const suffix = findSuffix(quantity);
    const mantissa = Number(quantity.slice(0, quantity.length - suffix.length));
    if (suffix === '' || !Number.isFinite(mantissa)) throw badQuantity(quantity);
    let unit: number | bigint;
    try {
      unit = quantityToScalar(`1${suffix}`);
    } catch {
      throw badQuantity(quantity);
    }
    return mantissa * Number(unit);
  }
}

// Below this, a float value times 1e9 is still an exact integer count of nano-units.
const NANO_EXACT_LIMIT = Number.MAX_SAFE_INTEGER / 1e9;

function scaled(quantity: string, perUnit: number): number {
  const scalar = scalarOf(quantity);
  let result: number;
  if (typeof scalar === 'bigint') {
    result = Number(scalar) * perUnit;
  } else if (Math.abs(scalar) < NANO_EXACT_LIMIT) {
    // Round to whole nano-units first so 0.1 * 1000 is 100, not 100.00000000000001.
    result = Math.ceil(Math.round(scalar * 1e9) / (1e9 / perUnit));
  } else {
    result = Math.ceil(scalar * perUnit);
  }
  if (!Number.isSafeInteger(result) || result < 0) throw badQuantity(quantity);
  return result;
}

function badQuantity(quantity: string): AfpError {
  return new AfpError('invalid_input', `"${quantity}" is not a Kubernetes quantity (examples: 2, 500m, 16Gi, 1.5G)`);
}

function normalise(quantity: QuantityInput): string {
  const text = typeof quantity === 'number' ? String(quantity) : quantity.trim();
  // The helper reads "Gi" alone as 0; a quantity must start with its number.
  if (!/^\+?(\d|\.\d)/.test(text)) throw badQuantity(text);
  return text;
}

function remember(cache: Map<string, number>, key: string, value: number): number {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** CPU-style value: integer millicores, rounded up like resource.Quantity.MilliValue(). */
export function toMilli(quantity: QuantityInput): number {
  const key = typeof quantity === 'string' ? quantity : String(quantity);
  const cached = milliCache.get(key);
  if (cached !== undefined) return cached;
  return remember(milliCache, key, scaled(normalise(quantity), 1000));
}

/** Byte/count-style value: integer units, rounded up like resource.Quantity.Value(). */
export function toUnits(quantity: QuantityInput): number {
  const key = typeof quantity === 'string' ? quantity : String(quantity);
  const cached = unitCache.get(key);
  if (cached !== undefined) return cached;
  return remember(unitCache, key, scaled(normalise(quantity), 1));
}

/** True when the text parses as a quantity (for schema checks). */
export function isQuantity(quantity: QuantityInput): boolean {
  try {
    toUnits(quantity);
    return true;
  } catch {
    return false;
  }
}

/** The amount of `resource` in scheduler units: millicores for cpu, base units otherwise. */
export function resourceAmount(resource: string, quantity: QuantityInput): number {
  return resource === 'cpu' ? toMilli(quantity) : toUnits(quantity);
}
