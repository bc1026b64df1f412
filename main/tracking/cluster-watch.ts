/**
 * One set of watches per cluster (context + server), shared by every
 * environment on it: our labelled pods, Services, Ingresses, Deployments and
 * StatefulSets cluster-wide, all Namespaces and Nodes, and Events per tracked
 * namespace (Events carry no labels to select by). A kind the user may not list
 * cluster-wide (403) falls back to one watch per tracked namespace. A probe of
 * /version every 30 s catches connections that died without a word.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { describeKubeError } from '../kube/api-errors';
import { AfpError } from '../errors';
import type { BackoffOptions } from '../kube/backoff';
import { Informer, type Indexed, type InformerOptions } from '../kube/informer';
import { isForbidden, KindWatch, type InformerHandle, type KindSpec } from '../kube/kind-watch';
import { getJson } from '../kube/kube-list';
import { withDeadline } from '../kube/deadline';
import * as project from './kube-objects';
import type { EventFacts, IngressFacts, NamespaceFacts, NodeFacts, PodFacts, ServiceFacts, WorkloadFacts } from './kube-objects';

export const MANAGED_SELECTOR = 'app.kubernetes.io/managed-by=afp';
/** JupyterHub's KubeSpawner starts each user's server as a pod of its own, labelled as its (templates/jupyterhub.yaml). */
export const POD_SELECTOR = 'app.kubernetes.io/managed-by in (afp,kubespawner)';

const PROBE_TIMEOUT_MS = 10_000;

export interface NamespaceFactsSet {
  /** False until every watch serving this namespace has listed once. */
  synced: boolean;
  namespace: NamespaceFacts | undefined;
  /** False when Namespaces cannot be watched (RBAC): absence then means nothing. */
  namespaceWatched: boolean;
  pods: PodFacts[];
  services: ServiceFacts[];
  ingresses: IngressFacts[];
  workloads: WorkloadFacts[];
  events: EventFacts[];
}

export interface ClusterHealth {
  reachable: boolean;
  /** Unreachable: since when (ms). */
  since?: number;
  error?: AfpError;
  /** Last time an answer came from the server (ms). */
  lastSeen: number;
}

export interface ClusterWatchOptions {
  backoff?: BackoffOptions;
  watchTimeoutSeconds?: number;
  /** A failing watch makes the cluster unreachable after this long (a cut watch that reconnects at once does not). */
  unreachableAfterMs?: number;
  probeEveryMs?: number;
}

type KindName = 'pods' | 'services' | 'ingresses' | 'deployments' | 'statefulsets';

const KINDS: { [K in KindName]: KindSpec<Indexed> } = {
  pods: { group: '/api/v1', resource: 'pods', project: project.projectPod },
  services: { group: '/api/v1', resource: 'services', project: project.projectService },
  ingresses: { group: '/apis/networking.k8s.io/v1', resource: 'ingresses', project: project.projectIngress },
  deployments: { group: '/apis/apps/v1', resource: 'deployments', project: project.projectWorkload('Deployment') },
  statefulsets: { group: '/apis/apps/v1', resource: 'statefulsets', project: project.projectWorkload('StatefulSet') },
};

export class ClusterWatch {
  private readonly kinds: { [K in KindName]: KindWatch<Indexed> };
  private readonly events: KindWatch<EventFacts>;
  private readonly namespaces: Informer<NamespaceFacts>;
  private readonly nodes: Informer<NodeFacts>;
  private readonly tracked = new Map<string, number>();
  private readonly listeners = new Set<(namespace: string | undefined) => void>();
  private readonly probeAbort = new AbortController();
  private readonly probeTimer: NodeJS.Timeout;
  private healthTimer: NodeJS.Timeout | undefined;
  private probeFailedSince: number | undefined;
  private probeError: unknown;
  private lastSeen = Date.now();
  private lastReachable = true;
  private disposed = false;

  constructor(
    readonly key: string,
    private readonly kc: KubeConfig,
    private readonly options: ClusterWatchOptions = {},
  ) {
    const changed = (namespace: string): void => this.notify(namespace);
    const kind = <T extends Indexed>(spec: KindSpec<T>, scope: 'cluster' | 'namespaced', selector: string | undefined): KindWatch<T> =>
      new KindWatch<T>(spec, (o) => this.informer(o), changed, scope, selector);
    this.kinds = {
      pods: kind(KINDS.pods, 'cluster', POD_SELECTOR),
      services: kind(KINDS.services, 'cluster', MANAGED_SELECTOR),
      ingresses: kind(KINDS.ingresses, 'cluster', MANAGED_SELECTOR),
      deployments: kind(KINDS.deployments, 'cluster', MANAGED_SELECTOR),
      statefulsets: kind(KINDS.statefulsets, 'cluster', MANAGED_SELECTOR),
    };
    this.events = kind({ group: '/api/v1', resource: 'events', project: project.projectEvent }, 'namespaced', undefined);
    this.namespaces = this.informer({ name: 'namespaces', path: '/api/v1/namespaces', project: project.projectNamespace });
    this.namespaces.onChange((changes) => changes.forEach((c) => this.notify(c.object.name)));
    this.namespaces.start();
    this.nodes = this.informer({ name: 'nodes', path: '/api/v1/nodes', project: project.projectNode });
    this.nodes.onChange(() => this.notify(undefined));
    this.nodes.start();
    this.probeTimer = setInterval(() => void this.probe(), options.probeEveryMs ?? 30_000);
    this.probeTimer.unref();
  }

  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? '';
  }

  get config(): KubeConfig {
    return this.kc;
  }

  /** Starts serving `namespace`; the returned function stops (reference-counted). */
  track(namespace: string): () => void {
    const count = this.tracked.get(namespace) ?? 0;
    this.tracked.set(namespace, count + 1);
    if (count === 0) {
      this.events.addNamespace(namespace);
      for (const watch of Object.values(this.kinds)) watch.addNamespace(namespace);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.tracked.get(namespace) ?? 1) - 1;
      if (left > 0) return void this.tracked.set(namespace, left);
      this.tracked.delete(namespace);
      this.events.removeNamespace(namespace);
      for (const watch of Object.values(this.kinds)) watch.removeNamespace(namespace);
    };
  }

  get trackedCount(): number {
    return this.tracked.size;
  }

  /** `namespace` undefined: something cluster-wide changed (nodes, reachability). */
  onChange(listener: (namespace: string | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  facts(namespace: string): NamespaceFactsSet {
    const kinds = Object.values(this.kinds);
    const namespaceWatched = !isForbidden(this.namespaces.health.error);
    const ns = [...this.namespaces.objects.values()].find((n) => n.name === namespace);
    return {
      synced: kinds.every((k) => k.synced(namespace)) && this.events.synced(namespace) && (this.namespaces.synced || !namespaceWatched),
      namespace: ns,
      namespaceWatched,
      pods: this.kinds.pods.objects(namespace) as PodFacts[],
      services: this.kinds.services.objects(namespace) as ServiceFacts[],
      ingresses: this.kinds.ingresses.objects(namespace) as IngressFacts[],
      workloads: [...this.kinds.deployments.objects(namespace), ...this.kinds.statefulsets.objects(namespace)] as WorkloadFacts[],
      events: this.events.objects(namespace),
    };
  }

  nodeList(): NodeFacts[] {
    return [...this.nodes.objects.values()];
  }

  health(): ClusterHealth {
    const now = Date.now();
    const grace = this.options.unreachableAfterMs ?? 3000;
    const informers = this.allInformers();
    let failingSince: number | undefined;
    let error: unknown;
    for (const informer of informers) {
      const health = informer.health;
      if (health.state !== 'failing' || isForbidden(health.error)) continue;
      if (failingSince === undefined || health.since < failingSince) {
        failingSince = health.since;
        error = health.error;
      }
    }
    if (this.probeFailedSince !== undefined && (failingSince === undefined || this.probeFailedSince < failingSince)) {
      failingSince = this.probeFailedSince;
      error = this.probeError;
    }
    if (failingSince === undefined || now - failingSince < grace) return { reachable: true, lastSeen: this.lastSeen };
    return { reachable: false, since: failingSince, error: describeKubeError(error, { server: this.server }), lastSeen: this.lastSeen };
  }

  /** Watches open for this cluster (for leak checks). */
  get informerCount(): number {
    return this.allInformers().filter((i) => !i.disposed).length;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearInterval(this.probeTimer);
    if (this.healthTimer !== undefined) clearTimeout(this.healthTimer);
    this.probeAbort.abort();
    for (const watch of Object.values(this.kinds)) watch.dispose();
    this.events.dispose();
    this.namespaces.dispose();
    this.nodes.dispose();
    this.listeners.clear();
  }

  private allInformers(): InformerHandle[] {
    return [...Object.values(this.kinds).flatMap((k) => k.informers), ...this.events.informers, this.namespaces, this.nodes];
  }

  private informer<T extends Indexed>(options: Omit<InformerOptions<T>, 'kc'>): Informer<T> {
    const informer = new Informer<T>({
      ...options,
      kc: this.kc,
      ...(this.options.backoff === undefined ? {} : { backoff: this.options.backoff }),
      ...(this.options.watchTimeoutSeconds === undefined ? {} : { watchTimeoutSeconds: this.options.watchTimeoutSeconds }),
    });
    informer.onHealth((health) => {
      if (health.state === 'live') this.lastSeen = Date.now();
      if (health.state === 'failing') this.onFailing();
      this.checkReachability();
    });
    informer.onChange(() => (this.lastSeen = Date.now()));
    return informer;
  }

  private onFailing(): void {
    for (const watch of Object.values(this.kinds)) {
      if (watch.fallBack(this.tracked.keys())) this.notify(undefined);
    }
    this.lookAgainAfterGrace();
  }

  /**
   * Reachability flips only after the grace period: look again then. A look
   * already pending is kept, not pushed back: failures that keep coming (a
   * probe every 2 s) would otherwise postpone the verdict for ever, and the
   * tracker, which only looks when told, would show a dead cluster as fine.
   */
  private lookAgainAfterGrace(): void {
    if (this.healthTimer !== undefined || this.disposed) return;
    this.healthTimer = setTimeout(
      () => {
        this.healthTimer = undefined;
        this.checkReachability();
        if (this.lastReachable && this.failing()) this.lookAgainAfterGrace();
      },
      (this.options.unreachableAfterMs ?? 3000) + 50,
    );
    this.healthTimer.unref();
  }

  /** Something is failing now (a 403 aside), whether or not the grace period is over. */
  private failing(): boolean {
    return (
      this.probeFailedSince !== undefined || this.allInformers().some((i) => i.health.state === 'failing' && !isForbidden(i.health.error))
    );
  }

  private checkReachability(): void {
    const reachable = this.health().reachable;
    if (reachable === this.lastReachable) return;
    this.lastReachable = reachable;
    this.notify(undefined);
  }

  private async probe(): Promise<void> {
    const sentAt = Date.now();
    const deadline = withDeadline(this.probeAbort.signal, PROBE_TIMEOUT_MS);
    try {
      await getJson(this.kc, '/version', deadline.signal);
      this.lastSeen = Date.now();
      if (this.probeFailedSince !== undefined) {
        this.probeFailedSince = undefined;
        this.checkReachability();
      }
    } catch (error) {
      if (this.disposed) return;
      // Unreachable since the last moment it could have answered: when this probe was sent.
      this.probeFailedSince ??= sentAt;
      this.probeError =
        deadline.timedOut() || isTimeout(error)
          ? new AfpError('timeout', `The Kubernetes API server ${this.server} did not answer within ${PROBE_TIMEOUT_MS / 1000} s.`)
          : error;
      // A connection can die without a FIN; make every watch reconnect (they back off if the server is really gone).
      for (const informer of this.allInformers()) informer.reconnect();
      this.onFailing();
    } finally {
      deadline.clear();
    }
  }

  private notify(namespace: string | undefined): void {
    if (this.disposed) return;
    if (namespace !== undefined && !this.tracked.has(namespace)) return;
    for (const listener of this.listeners) listener(namespace);
  }
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}
