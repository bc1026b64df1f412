/**
 * Live status of every environment in the inventory. Sources (watches for
 * kube, polls for IM) say "something changed"; every `batchMs` the tracker
 * asks the changed ones what they see, diffs that against what it last sent,
 * and hands listeners one batch of per-environment deltas, never whole lists.
 * Phase changes are written back to the inventory.
 */
import { AfpError } from '../errors';
import type { Inventory, InventoryChange } from '../inventory/inventory';
import type { EnvironmentRecord, EnvironmentStatus, StatusPhase } from '../inventory/record';
import type { StatusSource, StatusSourceFactory } from './status-source';
import {
  diffSections,
  emptySections,
  keepUnchangedRows,
  type Observation,
  type SectionChanges,
  type SectionRemovals,
  type Sections,
} from './views';

/** How long the first change after a quiet spell waits for the rest of its burst. */
const COALESCE_MS = 16;

export const DEFAULT_BATCH_MS = 50;

export interface EnvironmentDelta {
  environmentId: string;
  name: string;
  /** Present when phase, message or times changed. */
  status?: EnvironmentStatus;
  upserted?: SectionChanges;
  removed?: SectionRemovals;
  /** The environment left the inventory; drop it. */
  untracked?: true;
}

export interface TrackerBatch {
  at: string;
  deltas: EnvironmentDelta[];
}

export interface EnvironmentView extends Sections {
  environmentId: string;
  name: string;
  status: EnvironmentStatus;
}

export interface TrackerOptions {
  inventory: Inventory;
  sources: StatusSourceFactory[];
  /** Batches go out at most this often (default 50 ms: 20 batches a second at most, a fraction of a frame budget each); a change after a quiet spell goes out within ~16 ms. */
  batchMs?: number | undefined;
  /** A message-only change (same phase) is written to the inventory at most this often. */
  persistMessageEveryMs?: number | undefined;
  /** How often the inventory file is re-read for records another process (the CLI) added or removed. */
  syncEveryMs?: number | undefined;
}

interface Tracked {
  record: EnvironmentRecord;
  source: StatusSource;
  sent: Sections | undefined;
  status: EnvironmentStatus;
  persistedAt: number;
  /** A phase change the inventory has not stored yet. */
  unsavedPhase: boolean;
}

export class EnvironmentTracker {
  private readonly tracked = new Map<string, Tracked>();
  private readonly dirty = new Set<string>();
  private readonly listeners = new Set<(batch: TrackerBatch) => void>();
  private readonly pendingDeltas: EnvironmentDelta[] = [];
  private timer: NodeJS.Timeout | undefined;
  private syncTimer: NodeJS.Timeout | undefined;
  private stopInventory: (() => void) | undefined;
  private disposed = false;
  private lastFlush = 0;

  constructor(private readonly options: TrackerOptions) {}

  /** Tracks every record, and follows the inventory from now on. */
  start(): void {
    if (this.stopInventory !== undefined || this.disposed) return;
    this.stopInventory = this.options.inventory.onChange((change) => this.onInventory(change));
    this.sync();
    const every = this.options.syncEveryMs ?? 2000;
    if (every > 0) {
      this.syncTimer = setInterval(() => this.sync(), every);
      this.syncTimer.unref();
    }
  }

  onBatch(listener: (batch: TrackerBatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Everything known about one environment now, for a page opening (then follow the batches). */
  view(idOrName: string): EnvironmentView | undefined {
    const entry = this.entry(idOrName);
    if (entry === undefined) return undefined;
    const observed = entry.source.observe(entry.record);
    // A fresh observation's rows are new objects; only the rows kept as sent are copied (10,000 pods made every copy count).
    const sections = observed === undefined ? structuredClone(entry.sent ?? emptySections()) : pickSections(observed);
    const status = observed === undefined ? entry.status : this.nextStatus(entry, observed);
    return { environmentId: entry.record.id, name: entry.record.name, status, ...sections };
  }

  /**
   * Status and links, for the environments list, which the GUI asks again after
   * every batch that changes a status: when nothing is pending for the
   * environment, what was last sent is current, and building every pod's row
   * again (as view() does) for each of them made the list the app's largest
   * allocator with 10,000 pods. Otherwise it is looked at now, as view() does.
   */
  summary(idOrName: string): Pick<EnvironmentView, 'status' | 'links'> | undefined {
    const entry = this.entry(idOrName);
    if (entry === undefined) return undefined;
    if (entry.sent !== undefined && !this.dirty.has(entry.record.id))
      return { status: { ...entry.status }, links: structuredClone(entry.sent.links) };
    const view = this.view(entry.record.id);
    return view === undefined ? undefined : { status: view.status, links: view.links };
  }

  private entry(idOrName: string): Tracked | undefined {
    return this.tracked.get(idOrName) ?? [...this.tracked.values()].find((t) => t.record.name === idOrName);
  }

  /** Opens a link that needs a port-forward; resolves with the URL to open in the browser. */
  async openLink(environmentId: string, linkId: string): Promise<string> {
    const entry = this.tracked.get(environmentId);
    if (entry === undefined)
      throw new AfpError('not_found', `No environment "${environmentId}" is being tracked.`, { field: 'environmentId' });
    const link = entry.record.links.find((l) => l.id === linkId);
    if (link?.url !== undefined && link.expose !== 'cluster') return link.url;
    const live = entry.sent?.links.find((l) => l.id === linkId);
    if (live?.url !== undefined) return live.url;
    if (entry.source.openLink === undefined)
      throw new AfpError('unsupported', `Link "${linkId}" has no URL and this target cannot port-forward.`, { field: 'linkId' });
    return entry.source.openLink(linkId);
  }

  /** Something outside the source changed what an environment shows (a port-forward closed): look again at the next batch. */
  invalidate(environmentId: string): void {
    if (this.tracked.has(environmentId)) this.markDirty(environmentId);
  }

  get trackedCount(): number {
    return this.tracked.size;
  }

  /** Whether every tracked environment has been observed at least once. */
  allObserved(): boolean {
    return [...this.tracked.keys()].every((id) => this.isObserved(id));
  }

  isObserved(id: string): boolean {
    const entry = this.tracked.get(id);
    return entry !== undefined && entry.source.observe(entry.record) !== undefined;
  }

  /**
   * Sends what is pending now instead of at the next tick. With `everything`,
   * looks at every environment, not only those whose source has said so yet:
   * a source can already show a change it has not announced.
   */
  flush(everything = false): void {
    if (everything) for (const id of this.tracked.keys()) this.dirty.add(id);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.lastFlush = Date.now();
    const deltas = this.pendingDeltas.splice(0);
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) {
      const delta = this.observeOne(id);
      if (delta !== undefined) deltas.push(delta);
    }
    if (deltas.length === 0) return;
    const batch: TrackerBatch = { at: new Date().toISOString(), deltas };
    for (const listener of this.listeners) {
      try {
        listener(batch);
      } catch {
        // A listener's failure must not stop the others or the tracker.
      }
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopInventory?.();
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.syncTimer !== undefined) clearInterval(this.syncTimer);
    for (const entry of this.tracked.values()) entry.source.dispose();
    this.tracked.clear();
    this.listeners.clear();
  }

  /** Brings the tracked set in line with the inventory file (records added or removed by another process). */
  private sync(): void {
    let records: EnvironmentRecord[];
    try {
      records = this.options.inventory.list();
    } catch {
      return; // The inventory reports its own errors to whoever opens it; tracking keeps the last good records.
    }
    const ids = new Set(records.map((r) => r.id));
    for (const id of [...this.tracked.keys()]) if (!ids.has(id)) this.untrack(id);
    for (const record of records) {
      const entry = this.tracked.get(record.id);
      if (entry === undefined) this.track(record);
      else if (entry.record.updatedAt !== record.updatedAt) this.onRecord(record);
    }
  }

  private onInventory(change: InventoryChange): void {
    if (change.kind === 'removed') this.untrack(change.record.id);
    else if (this.tracked.has(change.record.id)) this.onRecord(change.record);
    else this.track(change.record);
  }

  private onRecord(record: EnvironmentRecord): void {
    const entry = this.tracked.get(record.id);
    if (entry === undefined) return;
    if (JSON.stringify(entry.record.target) !== JSON.stringify(record.target)) {
      this.untrack(record.id, false);
      this.track(record);
      return;
    }
    entry.record = record;
    this.markDirty(record.id);
  }

  private track(record: EnvironmentRecord): void {
    if (this.disposed || this.tracked.has(record.id)) return;
    const source = this.makeSource(record);
    this.tracked.set(record.id, { record, source, sent: undefined, status: record.status, persistedAt: 0, unsavedPhase: false });
    source.start(() => this.markDirty(record.id));
  }

  private untrack(id: string, announce = true): void {
    const entry = this.tracked.get(id);
    if (entry === undefined) return;
    this.tracked.delete(id);
    this.dirty.delete(id);
    entry.source.dispose();
    if (announce) {
      this.pendingDeltas.push({ environmentId: id, name: entry.record.name, untracked: true });
      this.schedule();
    }
  }

  private makeSource(record: EnvironmentRecord): StatusSource {
    for (const factory of this.options.sources) {
      const source = factory(record);
      if (source !== undefined) return source;
    }
    const since = Date.now();
    return {
      start: (changed) => changed(),
      observe: () => ({ phase: 'Unknown', message: `No status source for ${record.target.kind} targets.`, since, ...emptySections() }),
      dispose: () => undefined,
    };
  }

  private markDirty(id: string): void {
    if (this.disposed) return;
    this.dirty.add(id);
    this.schedule();
  }

  /**
   * After a quiet spell the first change goes out almost at once (a short
   * pause gathers the burst of watch events one change makes); under a stream
   * of changes, batches go out at most every batchMs.
   */
  private schedule(): void {
    if (this.timer !== undefined || this.disposed) return;
    const batchMs = this.options.batchMs ?? DEFAULT_BATCH_MS;
    const delay = Math.max(Math.min(COALESCE_MS, batchMs), this.lastFlush + batchMs - Date.now());
    this.timer = setTimeout(() => this.flush(), delay);
  }

  private observeOne(id: string): EnvironmentDelta | undefined {
    const entry = this.tracked.get(id);
    if (entry === undefined) return undefined;
    const observed = entry.source.observe(entry.record);
    if (observed === undefined) return undefined;
    const sections = pickSections(observed);
    const diff = diffSections(entry.sent, sections);
    // Rows that did not change stay the objects already held: a new copy of each kept row per batch was garbage the heap grew with.
    entry.sent = diff === undefined && entry.sent !== undefined ? entry.sent : keepUnchangedRows(entry.sent, sections);
    const status = this.nextStatus(entry, observed);
    const statusChanged = !sameStatus(status, entry.status);
    if (statusChanged) {
      entry.unsavedPhase ||= status.phase !== entry.status.phase;
      entry.status = status;
    }
    if (statusChanged || entry.unsavedPhase) this.persist(entry);
    if (diff === undefined && !statusChanged) return undefined;
    const delta: EnvironmentDelta = { environmentId: id, name: entry.record.name };
    if (statusChanged) delta.status = status;
    if (diff !== undefined) {
      if (Object.keys(diff.upserted).length > 0) delta.upserted = diff.upserted;
      if (Object.keys(diff.removed).length > 0) delta.removed = diff.removed;
    }
    return delta;
  }

  private nextStatus(entry: Tracked, observed: Observation): EnvironmentStatus {
    const samePhase = observed.phase === entry.status.phase;
    const since = samePhase ? entry.status.since : new Date(observed.since ?? Date.now()).toISOString();
    const status: EnvironmentStatus = { phase: observed.phase, since };
    if (observed.message !== undefined) status.message = observed.message;
    if (observed.said !== undefined) {
      status.id = observed.said.id;
      if (observed.said.params !== undefined) status.params = observed.said.params;
    }
    if (observed.checkedAt !== undefined) status.checkedAt = new Date(observed.checkedAt).toISOString();
    return status;
  }

  /**
   * Phase changes are written at once; message-only changes at most every
   * persistMessageEveryMs. A phase change that could not be written (the file
   * locked by another process) is tried again at the next flush.
   */
  private persist(entry: Tracked): void {
    const now = Date.now();
    if (!entry.unsavedPhase && now - entry.persistedAt < (this.options.persistMessageEveryMs ?? 10_000)) return;
    try {
      const stored = this.options.inventory.update(entry.record.id, (record) => {
        record.status = { ...entry.status };
      });
      entry.record = stored;
      entry.persistedAt = now;
      entry.unsavedPhase = false;
    } catch {
      // Removed meanwhile, or the file is locked or being repaired: live status still flows, and a phase is retried.
      if (entry.unsavedPhase) this.retryPersistSoon(entry.record.id);
    }
  }

  private retryPersistSoon(id: string): void {
    const timer = setTimeout(() => {
      if (!this.disposed && this.tracked.get(id)?.unsavedPhase === true) this.markDirty(id);
    }, 1000);
    timer.unref();
  }
}

function pickSections(o: Observation): Sections {
  return {
    pods: o.pods,
    services: o.services,
    ingresses: o.ingresses,
    workloads: o.workloads,
    events: o.events,
    links: o.links,
    drift: o.drift,
  };
}

function sameStatus(a: EnvironmentStatus, b: EnvironmentStatus): boolean {
  return a.phase === b.phase && a.message === b.message && a.since === b.since;
}

export type { StatusPhase };
