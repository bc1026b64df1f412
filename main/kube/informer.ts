/**
 * One LIST + WATCH loop over client-node's Watch, indexed by uid, that keeps
 * going on its own: a watch that ends cleanly resumes from the last
 * resourceVersion, one that errors retries with backoff, one that goes silent
 * is aborted by a watchdog, and a 410 Gone relists. client-node's own informer
 * stops quietly on some errors (DESIGN §9), hence this small loop.
 */
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { listEach, type RawObject } from './kube-list';

/** What an informer keeps of each object: a small projection, not the whole JSON. */
export interface Indexed {
  uid: string;
  resourceVersion: string;
  namespace?: string;
}

export type InformerChange<T> = { type: 'added' | 'modified' | 'deleted'; object: T };

export interface InformerHealth {
  state: 'starting' | 'live' | 'failing';
  since: number;
  error?: unknown;
}

export interface InformerOptions<T extends Indexed> {
  /** For messages: "pods", "events in env-x". */
  name: string;
  kc: KubeConfig;
  /** Collection path, e.g. /api/v1/pods or /api/v1/namespaces/env-x/events. */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  project: (raw: RawObject) => T;
  backoff?: BackoffOptions;
  /** Server-side watch timeout; randomised between this and twice it, as client-go does. */
  watchTimeoutSeconds?: number;
  /** Abort a watch that delivered nothing (not even a bookmark) for this long. */
  silenceMs?: number;
}

let openWatches = 0;

/** Watches open in this process, for leak tests and the benchmark. */
export function openWatchCount(): number {
  return openWatches;
}

/** A watch that lasted less than this and closed is treated as a failure, so a server closing at once cannot spin us. */
const HEALTHY_WATCH_MS = 1000;

export class Informer<T extends Indexed> {
  private readonly store = new Map<string, T>();
  private readonly listeners = new Set<(changes: InformerChange<T>[]) => void>();
  private readonly healthListeners = new Set<(health: InformerHealth) => void>();
  private readonly stop = new AbortController();
  private resourceVersion = '';
  private started = false;
  private hasSynced = false;
  private currentWatch: AbortController | undefined;
  private connectedAt: number | undefined;
  /** The held resourceVersion expired (410 Gone inside the stream). */
  private expired = false;
  private status: InformerHealth = { state: 'starting', since: Date.now() };

  constructor(private readonly options: InformerOptions<T>) {}

  get objects(): ReadonlyMap<string, T> {
    return this.store;
  }

  get synced(): boolean {
    return this.hasSynced;
  }

  get health(): InformerHealth {
    return this.status;
  }

  get disposed(): boolean {
    return this.stop.signal.aborted;
  }

  /** Changes arrive in the order the server sent them; one list after a (re)list, one per watch event. */
  onChange(listener: (changes: InformerChange<T>[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onHealth(listener: (health: InformerHealth) => void): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }

  start(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    void this.run();
  }

  /** Forces a reconnect now (resumes from the last resourceVersion). */
  reconnect(): void {
    this.currentWatch?.abort();
  }

  dispose(): void {
    if (this.disposed) return;
    this.stop.abort();
    this.currentWatch?.abort();
    this.store.clear();
    this.listeners.clear();
    this.healthListeners.clear();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.disposed) {
      let error: unknown;
      this.connectedAt = undefined;
      this.expired = false;
      try {
        if (this.resourceVersion === '') await this.relist();
        await this.watchOnce();
      } catch (caught) {
        error = caught;
      }
      if (this.disposed) return;
      // 410 Gone (as a status or inside the stream): relist at once.
      if (this.expired || (error !== undefined && isGone(error))) {
        this.resourceVersion = '';
        continue;
      }
      // A watch that ran a while and then ended, cleanly or cut, resumes at once from where it was.
      if (this.connectedAt !== undefined && Date.now() - this.connectedAt >= HEALTHY_WATCH_MS) {
        failures = 0;
        continue;
      }
      failures += 1;
      if (error !== undefined)
        this.setHealth({ state: 'failing', since: this.status.state === 'failing' ? this.status.since : Date.now(), error });
      try {
        await sleep(backoffDelay(failures, this.options.backoff ?? DEFAULT_BACKOFF), undefined, { signal: this.stop.signal });
      } catch {
        return;
      }
    }
  }

  private query(): Record<string, string> {
    const query: Record<string, string> = {};
    if (this.options.labelSelector !== undefined) query.labelSelector = this.options.labelSelector;
    if (this.options.fieldSelector !== undefined) query.fieldSelector = this.options.fieldSelector;
    return query;
  }

  private async relist(): Promise<void> {
    const fresh = new Map<string, T>();
    // Projected page by page: the raw objects of a large list are never all held at once.
    const resourceVersion = await listEach(this.options.kc, this.options.path, this.query(), this.stop.signal, (raw) => {
      const object = this.options.project(raw);
      if (object.uid !== '') fresh.set(object.uid, object);
    });
    if (this.disposed) return;
    const changes: InformerChange<T>[] = [];
    for (const [uid, old] of this.store) if (!fresh.has(uid)) changes.push({ type: 'deleted', object: old });
    for (const [uid, object] of fresh) {
      const old = this.store.get(uid);
      if (old === undefined) changes.push({ type: 'added', object });
      else if (old.resourceVersion !== object.resourceVersion) changes.push({ type: 'modified', object });
    }
    this.store.clear();
    for (const [uid, object] of fresh) this.store.set(uid, object);
    this.resourceVersion = resourceVersion;
    this.hasSynced = true;
    this.setHealth({ state: 'live', since: Date.now() });
    this.emit(changes);
  }

  /** One watch from the held resourceVersion, until it ends. */
  private async watchOnce(): Promise<void> {
    const timeout = this.options.watchTimeoutSeconds ?? 300;
    const silenceMs = this.options.silenceMs ?? (2 * timeout + 30) * 1000;
    let watchdog: NodeJS.Timeout | undefined;
    let controller: AbortController | undefined;
    let streamError: unknown;
    const feed = (): void => {
      if (watchdog !== undefined) clearTimeout(watchdog);
      watchdog = setTimeout(() => controller?.abort(), silenceMs);
    };
    openWatches += 1;
    try {
      await new Promise<void>((resolve, reject) => {
        let ended = false;
        const end = (error: unknown): void => {
          if (ended) return;
          ended = true;
          if (error === null || error === undefined) resolve();
          else reject(asError(error));
        };
        feed();
        const query = {
          ...this.query(),
          resourceVersion: this.resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: Math.round(timeout * (1 + Math.random())),
        };
        new Watch(this.options.kc)
          .watch(
            this.options.path,
            query,
            (type: string, raw: unknown) => {
              feed();
              if (this.disposed) return;
              // Watch swallows what its callback throws: errors are carried out by hand.
              try {
                if (this.apply(type, raw as RawObject)) this.expired = true;
                else return;
              } catch (error) {
                streamError = error;
              }
              controller?.abort();
            },
            (error: unknown) => end(this.expired ? null : (streamError ?? error)),
          )
          .then((abort) => {
            controller = abort;
            this.currentWatch = abort;
            if (this.disposed || ended) return void abort.abort();
            // The server answered 200: connected, even if nothing happens for minutes.
            this.connectedAt = Date.now();
            this.setHealth({ state: 'live', since: this.status.state === 'live' ? this.status.since : Date.now() });
          }, end);
      });
    } finally {
      openWatches -= 1;
      if (watchdog !== undefined) clearTimeout(watchdog);
      this.currentWatch = undefined;
    }
  }

  /** Applies one watch event; returns true on 410 Gone (the caller relists). */
  private apply(type: string, raw: RawObject): boolean {
    if (type === 'ERROR') {
      const code = (raw as { code?: unknown }).code;
      if (code === 410) return true;
      const message = (raw as { message?: unknown }).message;
      throw Object.assign(new Error(typeof message === 'string' ? message : 'the watch reported an error'), { statusCode: code });
    }
    const resourceVersion = raw.metadata?.resourceVersion;
    if (type === 'BOOKMARK') {
      if (resourceVersion !== undefined) this.resourceVersion = resourceVersion;
      return false;
    }
    const object = this.options.project(raw);
    if (resourceVersion !== undefined) this.resourceVersion = resourceVersion;
    const held = this.store.get(object.uid);
    if (type === 'DELETED') {
      if (held === undefined) return false;
      this.store.delete(object.uid);
      this.emit([{ type: 'deleted', object }]);
      return false;
    }
    // A replayed or reordered event must not roll an object back.
    if (held !== undefined && !isNewer(object.resourceVersion, held.resourceVersion)) return false;
    this.store.set(object.uid, object);
    this.emit([{ type: held === undefined ? 'added' : 'modified', object }]);
    return false;
  }

  private emit(changes: InformerChange<T>[]): void {
    if (changes.length === 0) return;
    for (const listener of this.listeners) listener(changes);
  }

  private setHealth(health: InformerHealth): void {
    const changed = health.state !== this.status.state;
    this.status = health;
    if (changed) for (const listener of this.healthListeners) listener(health);
  }
}

/** resourceVersions are opaque strings, but etcd-backed ones are integers: compare those, trust anything else. */
function isNewer(candidate: string, held: string): boolean {
  if (/^\d+$/.test(candidate) && /^\d+$/.test(held)) return BigInt(candidate) > BigInt(held);
  return candidate !== held;
}

function isGone(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { statusCode?: unknown; code?: unknown };
  return e.statusCode === 410 || e.code === 410;
}

function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  if (typeof error === 'object' && error !== null) return Object.assign(new Error(JSON.stringify(error)), error);
  return new Error(typeof error === 'string' ? error : 'watch failed');
}
