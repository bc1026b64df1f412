/**
 * What the inventory keeps of a plan's objects: the fields the app asked for,
 * the expected side of a drift check. A Secret keeps its key names only: its
 * generated values stay in the cluster (the inventory never holds a password).
 */
import { HIDDEN_SECRET_VALUE as HIDDEN_VALUE } from '../inventory/record';
import type { KubeObject } from '../render/types';

export function recordedManifest(object: KubeObject): Record<string, unknown> {
  const copy = structuredClone(object) as Record<string, unknown>;
  if (object.kind !== 'Secret') return copy;
  for (const field of ['data', 'stringData']) {
    const values = copy[field];
    if (typeof values !== 'object' || values === null) continue;
    copy[field] = Object.fromEntries(Object.keys(values).map((key) => [key, HIDDEN_VALUE]));
  }
  return copy;
}
