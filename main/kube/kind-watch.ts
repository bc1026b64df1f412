/**
 * One kind of object watched for a cluster: cluster-wide with one informer,
 * or, when the user may not list it cluster-wide (RBAC), with one informer per
 * tracked namespace. Objects are indexed by namespace, then uid.
 */
import type { Indexed, Informer, InformerChange, InformerOptions } from './informer';
import type { RawObject } from './kube-list';

export interface KindSpec<T extends Indexed> {
  group: string;
  resource: string;
  project: (raw: RawObject) => T;
}

/** What the cluster needs of any informer, whatever it holds. */
export type InformerHandle = Pick<Informer<Indexed>, 'health' | 'disposed' | 'reconnect' | 'synced'>;

/** One kind, watched cluster-wide or, when that is forbidden, per tracked namespace. */
export class KindWatch<T extends Indexed> {
  private cluster: Informer<T> | undefined;
  private readonly perNamespace = new Map<string, Informer<T>>();
  private readonly byNamespace = new Map<string, Map<string, T>>();

  constructor(
    private readonly spec: KindSpec<T>,
    private readonly make: (options: Omit<InformerOptions<T>, 'kc'>) => Informer<T>,
    private readonly changed: (namespace: string) => void,
    scope: 'cluster' | 'namespaced',
    private readonly labelSelector: string | undefined,
  ) {
    if (scope === 'cluster') this.cluster = this.informer(`${spec.group}/${spec.resource}`, spec.resource);
  }

  get informers(): InformerHandle[] {
    return [...(this.cluster === undefined ? [] : [this.cluster]), ...this.perNamespace.values()];
  }

  addNamespace(namespace: string): void {
    if (this.cluster !== undefined || this.perNamespace.has(namespace)) return;
    this.perNamespace.set(
      namespace,
      this.informer(`${this.spec.group}/namespaces/${namespace}/${this.spec.resource}`, `${this.spec.resource} in ${namespace}`),
    );
  }

  removeNamespace(namespace: string): void {
    this.perNamespace.get(namespace)?.dispose();
    this.perNamespace.delete(namespace);
    if (this.cluster === undefined) this.byNamespace.delete(namespace);
  }

  objects(namespace: string): T[] {
    return [...(this.byNamespace.get(namespace)?.values() ?? [])];
  }

  /**
   * A kind the user may not list even in the namespace (RBAC grants only some
   * kinds: no StatefulSets, say) shows nothing rather than holding the whole
   * environment at "not listed yet" for ever.
   */
  synced(namespace: string): boolean {
    const informer = this.cluster ?? this.perNamespace.get(namespace);
    if (informer === undefined) return false;
    return informer.synced || (this.cluster === undefined && isForbidden(informer.health.error));
  }

  /** True when the user may not see this kind in `namespace`. */
  hidden(namespace: string): boolean {
    const informer = this.cluster ?? this.perNamespace.get(namespace);
    return informer !== undefined && !informer.synced && this.cluster === undefined && isForbidden(informer.health.error);
  }

  /** Forbidden cluster-wide: drop to per-namespace watches for `namespaces`. */
  fallBack(namespaces: Iterable<string>): boolean {
    const cluster = this.cluster;
    if (cluster === undefined || !isForbidden(cluster.health.error)) return false;
    cluster.dispose();
    this.cluster = undefined;
    for (const namespace of namespaces) this.addNamespace(namespace);
    return true;
  }

  dispose(): void {
    this.cluster?.dispose();
    for (const informer of this.perNamespace.values()) informer.dispose();
    this.perNamespace.clear();
    this.byNamespace.clear();
  }

  private informer(path: string, name: string): Informer<T> {
    const informer = this.make({
      name,
      path,
      project: this.spec.project,
      ...(this.labelSelector === undefined ? {} : { labelSelector: this.labelSelector }),
    });
    informer.onChange((changes) => this.index(changes));
    informer.start();
    return informer;
  }

  private index(changes: InformerChange<T>[]): void {
    const touched = new Set<string>();
    for (const { type, object } of changes) {
      const namespace = object.namespace ?? '';
      let bucket = this.byNamespace.get(namespace);
      if (type === 'deleted') {
        bucket?.delete(object.uid);
        if (bucket?.size === 0) this.byNamespace.delete(namespace);
      } else {
        if (bucket === undefined) {
          bucket = new Map<string, T>();
          this.byNamespace.set(namespace, bucket);
        }
        bucket.set(object.uid, object);
      }
      touched.add(namespace);
    }
    for (const namespace of touched) this.changed(namespace);
  }
}

export function isForbidden(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; statusCode?: unknown };
  return e.code === 403 || e.statusCode === 403;
}
