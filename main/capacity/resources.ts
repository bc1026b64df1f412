/**
 * Amounts per Kubernetes resource name, in the scheduler's integer units:
 * `cpu` in millicores, `pods` as a count, everything else (memory,
 * ephemeral-storage, hugepages-*, extended resources such as nvidia.com/gpu)
 * in base units (bytes, devices). Plain objects, so they cross the bridge as JSON.
 */
export type ResourceList = Record<string, number>;

export const CPU = 'cpu';
export const MEMORY = 'memory';
export const EPHEMERAL_STORAGE = 'ephemeral-storage';
export const PODS = 'pods';

/** Adds `source` into `target` (in place) and returns it. */
export function addInto(target: ResourceList, source: Readonly<ResourceList>, sign = 1): ResourceList {
  for (const name in source) target[name] = (target[name] ?? 0) + sign * (source[name] ?? 0);
  return target;
}

/** `a - b` per resource named in either. */
export function subtract(a: Readonly<ResourceList>, b: Readonly<ResourceList>): ResourceList {
  const out: ResourceList = { ...a };
  return addInto(out, b, -1);
}

/** Raises each amount of `target` to at least the one in `source` (in place). */
export function maxInto(target: ResourceList, source: Readonly<ResourceList>): ResourceList {
  for (const name in source) {
    const value = source[name] ?? 0;
    if (!(name in target) || (target[name] ?? 0) < value) target[name] = value;
  }
  return target;
}

export function sumOf(lists: Iterable<Readonly<ResourceList>>): ResourceList {
  const out: ResourceList = {};
  for (const list of lists) addInto(out, list);
  return out;
}
