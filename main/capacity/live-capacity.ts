/**
 * A watch-fed capacity cache for one cluster: two informers (nodes, and
 * non-terminated pods) keep exactly what the fit reads — each node's
 * allocatable, labels, taints and cordon; each pod's node and what it
 * requests — and per-node sums that every change updates in place. So
 * "Will it fit?" on a keystroke is computed from memory instead of listing
 * the whole cluster again; the first reading waits for one paged list.
 */
import type { KubeConfig, V1PodSpec } from '@kubernetes/client-node';
import { describeKubeError } from '../kube/api-errors';
import { Informer, type Indexed, type InformerChange, type InformerHealth } from '../kube/informer';
import type { RawObject } from '../kube/kube-list';
import { MANAGED_BY } from '../render/identity';
import { RequestTotals } from './request-totals';
import { PODS, type ResourceList } from './resources';
import { snapshotNode, snapshotOf, type ClusterSnapshot, type ManagedRequests, type SnapshotNode } from './snapshot';
import { NON_TERMINATED_PODS } from './snapshot-cluster';
import { addPodRequest } from './snapshot-requests';

const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** How long the watches may fail before readings are refused rather than served stale. */
const STALE_AFTER_MS = 30_000;

interface NodeEntry extends Indexed {
  node: SnapshotNode;
}

/** One pod as the fit counts it: where it runs ('' while Pending) and what it takes there, `pods: 1` included. */
interface PodUse extends Indexed {
  node: string;
  /** The namespace, for this app's own pods only (an update hands them back: replacing.ts). */
  managedIn?: string;
  use: ResourceList;
  nonZeroCpu: number;
  nonZeroMemory: number;
}

/** Running sums on one node. */
interface Sums {
  requested: ResourceList;
  nonZeroCpu: number;
  nonZeroMemory: number;
}

export interface LiveCapacityOptions {
  /** How long the first reading may wait for the first lists before it fails. Default 60 s. */
  firstListTimeoutMs?: number;
}

function projectNode(raw: RawObject): NodeEntry {
  return { uid: raw.metadata?.uid ?? '', resourceVersion: raw.metadata?.resourceVersion ?? '', node: snapshotNode(raw) };
}

function projectPod(raw: RawObject): PodUse {
  const spec = (raw as { spec?: V1PodSpec }).spec;
  const totals = new RequestTotals();
  if (spec !== undefined) addPodRequest(spec, totals);
  const labels = raw.metadata?.labels as Record<string, string> | undefined;
  const namespace = raw.metadata?.namespace;
  return {
    uid: raw.metadata?.uid ?? '',
    resourceVersion: raw.metadata?.resourceVersion ?? '',
    node: spec?.nodeName ?? '',
    ...(namespace !== undefined && labels?.[MANAGED_BY_LABEL] === MANAGED_BY ? { managedIn: namespace } : {}),
    use: totals.withPodCount(1),
    nonZeroCpu: totals.nonZeroCpu,
    nonZeroMemory: totals.nonZeroMemory,
  };
}

function addSums(sums: Sums, pod: PodUse, sign: 1 | -1): void {
  for (const name in pod.use) sums.requested[name] = (sums.requested[name] ?? 0) + sign * (pod.use[name] as number);
  sums.nonZeroCpu += sign * pod.nonZeroCpu;
  sums.nonZeroMemory += sign * pod.nonZeroMemory;
}

/** The sums as a snapshot lists them: resources back at zero dropped, the pod count always there. */
function requestedOf(sums: Sums | undefined): ResourceList {
  if (sums === undefined) return { [PODS]: 0 };
  const out: ResourceList = { [PODS]: sums.requested[PODS] ?? 0 };
  for (const name in sums.requested) if (name !== PODS && sums.requested[name] !== 0) out[name] = sums.requested[name] as number;
  return out;
}

export class LiveCapacity {
  private readonly nodes: Informer<NodeEntry>;
  private readonly pods: Informer<PodUse>;
  /** Our own copy of each pod's use, so a change can take the old one back out of the sums. */
  private readonly podUse = new Map<string, PodUse>();
  private readonly perNode = new Map<string, Sums>();
  private readonly managed = new Map<string, Map<string, Sums>>();
  private unscheduled = 0;
  private built: ClusterSnapshot | undefined;
  /**
   * The last snapshot's nodes, and the names of those whose sums changed since: a pod change
   * rebuilds its node alone, not all of them (a big cluster's pods change between keystrokes).
   * Undefined when nodes came or went: then every node is built again.
   */
  private lastNodes: { nodes: SnapshotNode[]; byName: Map<string, SnapshotNode>; at: Map<string, number> } | undefined;
  private readonly changedNodes = new Set<string>();
  /** Each node as the informer projected it (no pod sums), by name, while `lastNodes` holds. */
  private projected = new Map<string, SnapshotNode>();
  private firstSync: Promise<void> | undefined;
  private lastRead = Date.now();

  constructor(
    kc: KubeConfig,
    private readonly options: LiveCapacityOptions = {},
  ) {
    this.nodes = new Informer({ name: 'nodes', kc, path: '/api/v1/nodes', project: projectNode });
    this.pods = new Informer({ name: 'pods', kc, path: '/api/v1/pods', fieldSelector: NON_TERMINATED_PODS, project: projectPod });
    this.nodes.onChange((changes) => this.applyNodes(changes));
    this.pods.onChange((changes) => this.applyPods(changes));
  }

  /** When it was last read (the registry closes caches nobody reads). */
  get lastReadAt(): number {
    return this.lastRead;
  }

  /** The cluster as the watches know it now; the first call waits for the first lists. */
  async snapshot(): Promise<ClusterSnapshot> {
    this.lastRead = Date.now();
    await (this.firstSync ??= this.start());
    const failing = [this.nodes.health, this.pods.health].find((health) => health.state === 'failing');
    // A watch that is reconnecting is seconds behind; one failing for long would give a stale answer that looks live.
    if (failing !== undefined && Date.now() - failing.since > STALE_AFTER_MS)
      throw describeKubeError(failing.error, { object: "Watching the cluster's nodes and pods" });
    return (this.built ??= this.build());
  }

  dispose(): void {
    this.nodes.dispose();
    this.pods.dispose();
  }

  private start(): Promise<void> {
    const synced = Promise.all([untilSynced(this.nodes), untilSynced(this.pods)]).then(() => undefined);
    this.nodes.start();
    this.pods.start();
    const timeoutMs = this.options.firstListTimeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the cluster's nodes and pods were not listed within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    return Promise.race([synced, timeout])
      .catch((error: unknown) => {
        // The next reading starts over (the informers keep retrying on their own meanwhile).
        this.firstSync = undefined;
        throw describeKubeError(error instanceof FirstListFailed ? error.cause : error, { object: "Listing the cluster's nodes and pods" });
      })
      .finally(() => clearTimeout(timer));
  }

  private applyNodes(changes: InformerChange<NodeEntry>[]): void {
    this.built = undefined;
    for (const { type, object } of changes) {
      const name = object.node.name;
      // A node's own change (kubelets report status often) rebuilds that node; one coming or going, all of them.
      if (type !== 'modified' || this.lastNodes?.at.has(name) !== true) {
        this.lastNodes = undefined;
        return;
      }
      this.projected.set(name, object.node);
      this.changedNodes.add(name);
    }
  }

  private applyPods(changes: InformerChange<PodUse>[]): void {
    for (const { type, object } of changes) {
      const old = this.podUse.get(object.uid);
      if (old !== undefined) this.account(old, -1);
      if (type === 'deleted') this.podUse.delete(object.uid);
      else {
        this.podUse.set(object.uid, object);
        this.account(object, 1);
      }
    }
    this.built = undefined;
  }

  private account(pod: PodUse, sign: 1 | -1): void {
    if (pod.node === '') {
      this.unscheduled += sign;
      return;
    }
    addSums(sumsIn(this.perNode, pod.node), pod, sign);
    this.changedNodes.add(pod.node);
    if (pod.managedIn === undefined) return;
    const byNode = this.managed.get(pod.managedIn) ?? new Map<string, Sums>();
    this.managed.set(pod.managedIn, byNode);
    addSums(sumsIn(byNode, pod.node), pod, sign);
    if ((byNode.get(pod.node)?.requested[PODS] ?? 0) === 0) byNode.delete(pod.node);
    if (byNode.size === 0) this.managed.delete(pod.managedIn);
  }

  /** A node with its pods' sums. */
  private withSums(node: SnapshotNode): SnapshotNode {
    const sums = this.perNode.get(node.name);
    return sums === undefined
      ? node
      : { ...node, requested: requestedOf(sums), nonZeroRequested: { cpu: sums.nonZeroCpu, memory: sums.nonZeroMemory } };
  }

  /** Every node built again and sorted, or the last snapshot's with the changed ones rebuilt in place. */
  private builtNodes(): { nodes: SnapshotNode[]; byName: Map<string, SnapshotNode> } {
    const last = this.lastNodes;
    const changed = [...this.changedNodes];
    this.changedNodes.clear();
    if (last === undefined) {
      const nodes: SnapshotNode[] = [];
      const projected = new Map<string, SnapshotNode>();
      for (const { node } of this.nodes.objects.values()) {
        nodes.push(this.withSums(node));
        projected.set(node.name, node);
      }
      const sorted = snapshotOf('cluster', nodes).nodes;
      const byName = new Map(sorted.map((node) => [node.name, node]));
      this.lastNodes = { nodes: sorted, byName, at: new Map(sorted.map((node, index) => [node.name, index])) };
      this.projected = projected;
      return { nodes: sorted, byName };
    }
    // Copies: the snapshots already given out never change.
    const nodes = last.nodes.slice();
    const byName = new Map(last.byName);
    for (const name of changed) {
      const index = last.at.get(name);
      const node = this.projected.get(name);
      // Pods bound to a node that does not exist take nothing from the nodes that do.
      if (index === undefined || node === undefined) continue;
      const rebuilt = this.withSums(node);
      nodes[index] = rebuilt;
      byName.set(name, rebuilt);
    }
    this.lastNodes = { nodes, byName, at: last.at };
    return { nodes, byName };
  }

  private build(): ClusterSnapshot {
    const { nodes, byName } = this.builtNodes();
    // Sorted by name already (snapshotOf's order), and kept so.
    const snapshot: ClusterSnapshot = { source: 'cluster', nodes, byName, unscheduledPods: this.unscheduled };
    if (this.managed.size === 0) return snapshot;
    const managed = new Map<string, Map<string, ManagedRequests>>();
    for (const [namespace, byNode] of this.managed) {
      const entries = [...byNode].map(([node, sums]): [string, ManagedRequests] => [
        node,
        { requested: requestedOf(sums), nonZeroRequested: { cpu: sums.nonZeroCpu, memory: sums.nonZeroMemory } },
      ]);
      managed.set(namespace, new Map(entries));
    }
    return { ...snapshot, managed };
  }
}

function sumsIn(map: Map<string, Sums>, key: string): Sums {
  let sums = map.get(key);
  if (sums === undefined) {
    sums = { requested: {}, nonZeroCpu: 0, nonZeroMemory: 0 };
    map.set(key, sums);
  }
  return sums;
}

/** The informer's own error, carried through a rejection. */
class FirstListFailed extends Error {
  constructor(cause: unknown) {
    super('listing the cluster failed', { cause });
  }
}

/** Resolves at the informer's first complete list; rejects if it fails before that. */
function untilSynced<T extends Indexed>(informer: Informer<T>): Promise<void> {
  if (informer.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const stop = [
      informer.onChange(() => {
        if (!informer.synced) return;
        stop.forEach((off) => off());
        resolve();
      }),
      informer.onHealth((health: InformerHealth) => {
        if (health.state === 'live' && informer.synced) {
          stop.forEach((off) => off());
          resolve();
        } else if (health.state === 'failing') {
          stop.forEach((off) => off());
          reject(new FirstListFailed(health.error));
        }
      }),
    ];
  });
}

/**
 * One cache per cluster (kubeconfig files and context), closed when nobody
 * has read it for a while so an app left open holds no watches it does not use.
 */
export class LiveCapacityRegistry {
  private readonly caches = new Map<string, LiveCapacity>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly idleMs = 5 * 60_000) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(idleMs, 60_000));
    this.sweeper.unref();
  }

  for(key: string, kubeConfig: () => KubeConfig): LiveCapacity {
    let cache = this.caches.get(key);
    if (cache === undefined) {
      cache = new LiveCapacity(kubeConfig());
      this.caches.set(key, cache);
    }
    return cache;
  }

  dispose(): void {
    clearInterval(this.sweeper);
    for (const cache of this.caches.values()) cache.dispose();
    this.caches.clear();
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, cache] of this.caches) {
      if (now - cache.lastReadAt < this.idleMs) continue;
      cache.dispose();
      this.caches.delete(key);
    }
  }
}
