/**
 * Quantity parameters (cpu, memory, storage): syntax as the Kubernetes API
 * accepts it (the quantity format kubernetes-models validates with), sizes as the scheduler
 * counts them (main/kube/quantity), so "4 GB" is refused here and not by
 * the cluster half-way through a deploy.
 */
// The format alone, not the v1 models (160 ms to load) that validate with it: the catalogue loads before the first paint.
import { formats } from '@kubernetes-models/validate';
import { toMilli, toUnits } from '../kube/quantity';
import { say, type Message } from '../messages/message';
import { describeValue } from '../yaml/issues';

export type QuantityKind = 'cpu' | 'memory' | 'storage';

/** Why `value` is not a `kind` quantity, or undefined when it is one. */
export function quantityProblem(kind: QuantityKind, value: unknown): string | undefined {
  return quantityMessage(kind, value)?.text;
}

/** The same, as a message the renderer can put in the user's language. */
export function quantityMessage(kind: QuantityKind, value: unknown): Message | undefined {
  const bad = (why?: 'plainBytes' | 'tooLarge' | 'negative' | 'milli'): Message =>
    say(`values.quantity.${kind}`, { got: describeValue(value), why: why === undefined ? '' : say(`values.quantityWhy.${why}`) });
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return bad();
    if (kind !== 'cpu' && !Number.isInteger(value)) return bad('plainBytes');
    // Sizes must still count exactly (6e234 cores does not); the same check strings get below.
    return sizes(kind, value) ? undefined : bad('tooLarge');
  }
  if (typeof value !== 'string' || !apiAccepts(value)) return bad();
  if (value.startsWith('-')) return bad('negative');
  // "512m" of memory is 0.512 bytes: valid to the API, never what anyone means.
  if (kind !== 'cpu' && /m$/.test(value)) return bad('milli');
  return sizes(kind, value) ? undefined : bad();
}

function sizes(kind: QuantityKind, value: string | number): boolean {
  try {
    quantitySize(kind, value);
  } catch {
    return false;
  }
  return true;
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
