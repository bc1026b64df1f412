/**
 * Quantity parameters (cpu, memory, storage): syntax as the Kubernetes API
 * accepts it (kubernetes-models' quantity format), sizes as the scheduler
 * counts them (main/kube/quantity), so "4 GB" is refused here and not by
 * the cluster half-way through a deploy.
 */
import { ResourceRequirements } from 'kubernetes-models/v1';
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

const syntaxCache = new Map<string, boolean>();

function apiAccepts(text: string): boolean {
  const cached = syntaxCache.get(text);
  if (cached !== undefined) return cached;
  let ok = true;
  try {
    new ResourceRequirements({ requests: { probe: text } }).validate();
  } catch {
    ok = false;
  }
  if (syntaxCache.size > 5000) syntaxCache.clear();
  syntaxCache.set(text, ok);
  return ok;
}
