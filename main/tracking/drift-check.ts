/**
 * Looks for drift in one environment: reads each object its last deploy or
 * update applied and compares it with the recorded plan (drift.ts). Runs soon
 * after the namespace's watches say something changed (a scale, an edited
 * Ingress, a deleted Service) and every `everyMs` for the kinds nobody watches
 * (Secrets, ConfigMaps). Secrets are read as metadata only: their values are
 * never fetched for this.
 */
import { ApiException, type KubeConfig } from '@kubernetes/client-node';
import { getJson } from '../kube/kube-list';
import { knownResource, resourcePath } from '../kube/resource-paths';
import type { EnvironmentRecord } from '../inventory/record';
import { deletedObject, identity, objectDrift, type DriftItem } from './drift';

const METADATA_ONLY = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

export interface DriftCheckOptions {
  /** A full look this often (default 30 s): deletions of Secrets and ConfigMaps have no watch. */
  everyMs?: number;
  /** After a watched change, wait this long for the rest of the burst (default 500 ms). */
  settleMs?: number;
}

export class DriftCheck {
  private items: DriftItem[] = [];
  private record: EnvironmentRecord | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly interval: NodeJS.Timeout;
  private running = false;
  private looked = false;
  private lookedAfter: string | undefined;
  private again = false;
  private readonly stop = new AbortController();

  constructor(
    private readonly kc: KubeConfig,
    private readonly changed: () => void,
    private readonly options: DriftCheckOptions = {},
  ) {
    this.interval = setInterval(() => this.soon(0), options.everyMs ?? 30_000);
    this.interval.unref();
  }

  /** What differs now, as last read (empty while an operation runs or before the first look). */
  current(record: EnvironmentRecord): DriftItem[] {
    this.record = record;
    // A new operation (a Restore, an update) makes what was found before moot: look afresh.
    const operation = record.operations.at(-1)?.id;
    if (operation !== this.lookedAfter) {
      this.lookedAfter = operation;
      this.items = [];
      this.looked = false;
      this.soon(0);
    }
    return checkable(record) ? this.items : [];
  }

  /**
   * Whether there is an answer to give: the first look has ended (found
   * something, nothing, or could not read), or there is nothing to look for.
   * Until then a status would say Ready and then flip to Drifted.
   */
  ready(record: EnvironmentRecord): boolean {
    return this.looked || !checkable(record);
  }

  /** Something in the namespace changed: look again shortly. */
  soon(delayMs = this.options.settleMs ?? 500): void {
    if (this.timer !== undefined || this.stop.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delayMs);
    this.timer.unref();
  }

  dispose(): void {
    this.stop.abort();
    clearInterval(this.interval);
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  private async run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    const record = this.record;
    if (record === undefined || !checkable(record)) return;
    this.running = true;
    try {
      const items = await this.look(record);
      const first = !this.looked;
      this.looked = true;
      const differs = items !== undefined && JSON.stringify(items) !== JSON.stringify(this.items);
      if (items !== undefined) this.items = items;
      if (first || differs) this.changed();
    } finally {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.soon();
      }
    }
  }

  /** undefined when the cluster could not be read: reachability is the watches' to report, not drift. */
  private async look(record: EnvironmentRecord): Promise<DriftItem[] | undefined> {
    const items: DriftItem[] = [];
    const applied = new Set(record.objects.filter((o) => o.state === 'applied').map((o) => `${o.kind}/${o.name}`));
    for (const manifest of record.manifests ?? []) {
      const { kind } = identity(manifest);
      const metadata = (manifest.metadata ?? {}) as { name?: string; namespace?: string };
      const info = knownResource(typeof manifest.apiVersion === 'string' ? manifest.apiVersion : '', kind);
      if (info === undefined || metadata.name === undefined || !applied.has(`${kind}/${metadata.name}`)) continue;
      try {
        const live = await getJson<Record<string, unknown>>(
          this.kc,
          resourcePath(info, metadata.namespace, metadata.name),
          this.stop.signal,
          kind === 'Secret' ? METADATA_ONLY : 'application/json',
        );
        if ((live.metadata as { deletionTimestamp?: string } | undefined)?.deletionTimestamp !== undefined)
          items.push(deletedObject(manifest));
        else items.push(...objectDrift(manifest, live));
      } catch (error) {
        if (error instanceof ApiException && error.code === 404) items.push(deletedObject(manifest));
        else if (error instanceof ApiException && error.code === 403)
          continue; // May not read it: nothing to say about it.
        else return undefined;
      }
    }
    return items;
  }
}

/** Drift means something only between operations that finished: mid-deploy, objects are meant to differ. */
function checkable(record: EnvironmentRecord): boolean {
  const last = record.operations.at(-1);
  return last !== undefined && last.kind !== 'delete' && last.outcome === 'succeeded' && (record.manifests?.length ?? 0) > 0;
}
