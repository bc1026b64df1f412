/**
 * What the GUI and the CLI see of an environment: the contract's rows, each
 * with an `id` and a `version`, and how the tracker diffs them so it sends
 * only what changed.
 */
import type { LinkView, PodView, Section, Sections, StatusPhase } from '../contract/environments';
import { SECTIONS } from '../contract/environments';
import type { Message } from '../messages/message';

// The rows are the contract's (main/contract/environments.ts), derived from its schemas, never restated here.
export type {
  DriftView,
  EventView,
  IngressView,
  LinkView,
  PodView,
  Section,
  Sections,
  ServiceView,
  WorkloadView,
} from '../contract/environments';
export { SECTIONS };

type Row = Pick<PodView | LinkView, 'id' | 'version'>;

/** One environment as a source sees it at a moment. */
export interface Observation extends Sections {
  phase: StatusPhase;
  /** In English; `said` is the same as a message, for the user's language. */
  message?: string;
  said?: Message;
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
  return { pods: [], services: [], ingresses: [], workloads: [], events: [], links: [], drift: [] };
}

/** `after`, with each row whose id and version `before` already holds replaced by the row `before` holds. */
export function keepUnchangedRows(before: Sections | undefined, after: Sections): Sections {
  if (before === undefined) return after;
  const kept = { ...after };
  for (const section of SECTIONS) {
    const old = new Map<string, Row>((before[section] as Row[]).map((row) => [row.id, row]));
    (kept as Record<Section, Row[]>)[section] = (after[section] as Row[]).map((row) => {
      const held = old.get(row.id);
      return held !== undefined && held.version === row.version ? held : row;
    });
  }
  return kept;
}
