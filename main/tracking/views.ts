/**
 * What the GUI and the CLI see of an environment: plain, serialisable rows,
 * each with an `id` and a `version` so the tracker can send only what changed.
 */
import type { StatusPhase } from '../inventory/record';

interface Row {
  id: string;
  /** Changes whenever anything shown changes (a resourceVersion, or a digest). */
  version: string;
}

export interface PodView extends Row {
  name: string;
  component?: string;
  phase: string;
  ready: boolean;
  restarts: number;
  node?: string;
  /** Why it is not fine, in plain words. */
  reason?: string;
  createdAt: string;
}

export interface ServiceView extends Row {
  name: string;
  type: string;
  ports: { name?: string; port: number; nodePort?: number }[];
}

export interface IngressView extends Row {
  name: string;
  rules: { host: string; path: string; service: string; url: string }[];
}

export interface WorkloadView extends Row {
  kind: string;
  name: string;
  component?: string;
  desired: number;
  ready: number;
}

export interface EventView extends Row {
  type: string;
  reason: string;
  message: string;
  /** "Pod/dask-worker-0" */
  object: string;
  count: number;
  lastSeen: string;
}

export interface LinkView extends Row {
  title: string;
  component: string;
  /** How it is reached: a known URL (ingress, NodePort) or a port-forward opened on demand. */
  via: 'ingress' | 'nodeport' | 'port-forward' | 'url';
  /** Known URL; for port-forward links, set while a forward is open. */
  url?: string;
  /** At least one pod behind it is Ready. */
  ready: boolean;
}

export const SECTIONS = ['pods', 'services', 'ingresses', 'workloads', 'events', 'links'] as const;
export type Section = (typeof SECTIONS)[number];

export interface Sections {
  pods: PodView[];
  services: ServiceView[];
  ingresses: IngressView[];
  workloads: WorkloadView[];
  events: EventView[];
  links: LinkView[];
}

/** One environment as a source sees it at a moment. */
export interface Observation extends Sections {
  phase: StatusPhase;
  message?: string;
  /** Overrides when the phase began (Unknown: since when the target is unreachable), ms. */
  since?: number;
  /** Last time the target answered, ms. */
  checkedAt?: number;
}

export type SectionChanges = { [K in Section]?: Sections[K] };
export type SectionRemovals = { [K in Section]?: string[] };

/** Rows added or changed, and ids removed, per section; undefined when nothing changed. */
export function diffSections(
  before: Sections | undefined,
  after: Sections,
): { upserted: SectionChanges; removed: SectionRemovals } | undefined {
  const upserted: SectionChanges = {};
  const removed: SectionRemovals = {};
  let any = false;
  for (const section of SECTIONS) {
    const old = new Map<string, string>((before?.[section] ?? []).map((row: Row) => [row.id, row.version]));
    const changed = (after[section] as Row[]).filter((row) => old.get(row.id) !== row.version);
    const present = new Set((after[section] as Row[]).map((row) => row.id));
    const gone = [...old.keys()].filter((id) => !present.has(id));
    if (changed.length > 0) {
      (upserted as Record<Section, Row[]>)[section] = changed;
      any = true;
    }
    if (gone.length > 0) {
      removed[section] = gone;
      any = true;
    }
  }
  return any ? { upserted, removed } : undefined;
}

export function emptySections(): Sections {
  return { pods: [], services: [], ingresses: [], workloads: [], events: [], links: [] };
}
