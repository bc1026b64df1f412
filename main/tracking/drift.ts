/**
 * Drift: fields the app set that someone else has changed since. Read from
 * server-side apply's managed fields: a field another manager owns now, whose
 * value differs from what the recorded plan asked for, was changed by that
 * manager. Fields the plan never set (status, defaults the API server filled
 * in) are never compared, and the cluster's own controllers (an HPA scaling
 * through kube-controller-manager) are doing their job, not drifting. Pure.
 */
import { HIDDEN_SECRET_VALUE } from '../inventory/record';
import { say, type Message } from '../messages/message';

export interface DriftItem {
  kind: string;
  name: string;
  /** "spec.replicas", "spec.template.spec.containers[worker].image", or "(object)" when it was deleted. */
  field: string;
  expected: string;
  found: string;
  /** The managedFields manager that holds the field now (kubectl, kubectl-edit, …); absent for a deleted object. */
  manager?: string;
}

/** Managers that are the cluster itself: what they own is theirs by design (an HPA's replicas, a Deployment's revision). */
export const CLUSTER_MANAGERS: ReadonlySet<string> = new Set(['kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-apiserver']);

export const OUR_MANAGER = 'afp';

type Json = Record<string, unknown>;

interface ManagedEntry {
  manager?: string;
  subresource?: string;
  fieldsV1?: Json;
}

/** A manifest's kind and name as text (absent: empty). */
export function identity(manifest: Json): { kind: string; name: string } {
  const metadata = manifest.metadata;
  const name = isObject(metadata) && typeof metadata.name === 'string' ? metadata.name : '';
  return { kind: typeof manifest.kind === 'string' ? manifest.kind : '', name };
}

const asObject = (value: unknown): Json => (isObject(value) ? value : {});

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What differs between `manifest` (the plan's object) and `live` (the server's, with metadata.managedFields). */
export function objectDrift(manifest: Json, live: Json): DriftItem[] {
  const { kind, name } = identity(manifest);
  const entries = (((live.metadata as Json | undefined)?.managedFields ?? []) as ManagedEntry[]).filter(
    (e) => e.manager !== undefined && e.manager !== OUR_MANAGER && !CLUSTER_MANAGERS.has(e.manager) && e.subresource !== 'status',
  );
  const found = new Map<string, DriftItem>();
  const secret = kind === 'Secret';
  // The API server keeps a Secret's stringData as data, and its managed fields say so.
  if (secret) manifest = { ...manifest, data: { ...asObject(manifest.data), ...asObject(manifest.stringData) } };
  for (const entry of entries) {
    if (!isObject(entry.fieldsV1)) continue;
    walk(entry.fieldsV1, manifest, live, [], (path, expected, actual) => {
      const field = path.join('').replace(/^\./, '');
      if (found.has(field)) return;
      const hidden = secret && (path[0] === '.data' || path[0] === '.stringData');
      if (!hidden && sameValue(expected, actual)) return;
      if (hidden && expected !== HIDDEN_SECRET_VALUE) return;
      found.set(field, {
        kind,
        name,
        field,
        expected: hidden ? HIDDEN_SECRET_VALUE : show(expected),
        found: hidden ? `${HIDDEN_SECRET_VALUE}, changed` : show(actual),
        manager: entry.manager ?? '',
      });
    });
  }
  return [...found.values()];
}

/** A recorded object that the cluster no longer has. */
export function deletedObject(manifest: Json): DriftItem {
  return {
    ...identity(manifest),
    field: '(object)',
    expected: 'present',
    found: 'deleted',
  };
}

/** One line: "Deployment dask-worker: spec.replicas is 3, expected 1 (changed by kubectl)". */
export function driftSaid(item: DriftItem): Message {
  const object = `${item.kind} ${item.name}`;
  if (item.field === '(object)') return say('drift.deleted', { object });
  return say('drift.changed', {
    object,
    field: item.field,
    found: item.found,
    expected: item.expected,
    manager: item.manager ?? say('drift.someone'),
  });
}

export function driftText(item: DriftItem): string {
  return driftSaid(item).text;
}

/**
 * Walks one manager's field set over the plan's object and the live one at
 * once. `f:name` is a field, `k:{...}` a list item found by its key fields;
 * set items (`v:`) and positions (`i:`) are another manager's additions to a
 * list, never a field the plan set, and are left out.
 */
function walk(set: Json, expected: unknown, actual: unknown, path: string[], leaf: (path: string[], e: unknown, a: unknown) => void): void {
  for (const [key, child] of Object.entries(set)) {
    if (key === '.') continue;
    let next: { label: string; e: unknown; a: unknown } | undefined;
    if (key.startsWith('f:')) {
      const field = key.slice(2);
      next = { label: `.${field}`, e: isObject(expected) ? expected[field] : undefined, a: isObject(actual) ? actual[field] : undefined };
    } else if (key.startsWith('k:')) {
      let match: Json;
      try {
        match = JSON.parse(key.slice(2)) as Json;
      } catch {
        continue;
      }
      next = { label: `[${Object.values(match).map(String).join(',')}]`, e: findItem(expected, match), a: findItem(actual, match) };
    }
    if (next === undefined || next.e === undefined) continue;
    const childSet = isObject(child) ? child : {};
    const isLeaf = Object.keys(childSet).every((k) => k === '.');
    if (isLeaf) leaf([...path, next.label], next.e, next.a);
    else walk(childSet, next.e, next.a, [...path, next.label], leaf);
  }
}

function findItem(list: unknown, match: Json): unknown {
  if (!Array.isArray(list)) return undefined;
  return list.find((item) => isObject(item) && Object.entries(match).every(([k, v]) => sameValue(item[k], v)));
}

/** Equal as JSON, whatever the order of keys; a number and its string form are equal (ports, replicas in some tools). */
function sameValue(a: unknown, b: unknown): boolean {
  if ((typeof a === 'number' && typeof b === 'string') || (typeof a === 'string' && typeof b === 'number')) return String(a) === String(b);
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'undefined';
}

const SHOWN = 120;

function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > SHOWN ? `${text.slice(0, SHOWN - 1)}…` : text;
}
