/**
 * Quantity parameters (cpu, memory, storage): syntax as the Kubernetes API
 * accepts it (the quantity format kubernetes-models validates with), sizes as the scheduler
 * counts them (main/kube/quantity), so "4 GB" is refused here and not by
 * the cluster half-way through a deploy.
 */
// The format alone, not the v1 models (160 ms to load) that validate with it: the catalogue loads before the first paint.
import { formats } from '@kubernetes-models/validate';
import { toMilli, toUnits } from '../kube/quantity';
import { describeValue } from '../yaml/issues';

export type QuantityKind = 'cpu' | 'memory' | 'storage';

const EXAMPLES: Record<QuantityKind, string> = {
  cpu: '2, 1.5 or 500m',
  memory: '4Gi, 512Mi or 4G',
  storage: '10Gi, 500Gi or 1Ti',
};

/** Why `value` is not a `kind` quantity, or undefined when it is one. */
export function quantityProblem(kind: QuantityKind, value: unknown): string | undefined {
  const bad = `expected a ${kind} quantity such as ${EXAMPLES[kind]}, got ${describeValue(value)}`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return bad;
    if (kind !== 'cpu' && !Number.isInteger(value)) return `${bad} (a plain number counts bytes)`;
    // Sizes must still count exactly (6e234 cores does not); the same check strings get below.
    return sizeProblem(kind, value, `${bad} (too large)`);
  }
  if (typeof value !== 'string' || !apiAccepts(value)) return bad;
  if (value.startsWith('-')) return `${bad} (it must not be negative)`;
  // "512m" of memory is 0.512 bytes: valid to the API, never what anyone means.
  if (kind !== 'cpu' && /m$/.test(value)) return `${bad} ("m" means thousandths; for mebibytes write Mi)`;
  return sizeProblem(kind, value, bad);
}

function sizeProblem(kind: QuantityKind, value: string | number, bad: string): string | undefined {
  try {
    quantitySize(kind, value);
  } catch {
    return bad;
  }
  return undefined;
}

/** Millicores for cpu, bytes for memory and storage. */
export function quantitySize(kind: QuantityKind, value: string | number): number {
  return kind === 'cpu' ? toMilli(value) : toUnits(value);
}

/** The quantity as the API prints it in a manifest: numbers become strings. */
export function quantityText(value: string | number): string {
  return typeof value === 'number' ? String(value) : value;
}

const QUANTITY = quantityPattern();

function quantityPattern(): RegExp {
  const format: unknown = formats.quantity;
  const validate = typeof format === 'object' && format !== null && 'validate' in format ? format.validate : undefined;
  if (!(validate instanceof RegExp)) throw new Error('kubernetes-models no longer validates quantities with a pattern');
  return validate;
}

function apiAccepts(text: string): boolean {
  return QUANTITY.test(text);
}
