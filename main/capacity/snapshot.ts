/**
 * What the scheduler knows about a cluster at one moment: each node's
 * allocatable resources, labels, taints and cordon, and what its
 * non-terminated pods already request. Built from the API
 * (snapshot-cluster.ts) or from a site profile (snapshot-profile.ts).
 */
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { resourceAmount, type QuantityInput } from '../kube/quantity';
import { RequestTotals } from './request-totals';
import { PODS, type ResourceList } from './resources';
import { addPodRequest } from './snapshot-requests';
import { MANAGED_BY } from '../render/identity';

const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface NodeTaint {
  key: string;
  value?: string | undefined;
  effect: TaintEffect;
}

export interface SnapshotNode {
  name: string;
  labels: Record<string, string>;
  taints: NodeTaint[];
  /** Cordoned (`spec.unschedulable`). */
  unschedulable: boolean;
  /** The Ready condition is True (informative: the scheduler itself acts on the not-ready taints). */
  ready: boolean;
  /** Allocatable per resource, including `pods` (the node's pod limit). */
  allocatable: ResourceList;
  /** Sum of the effective requests of the node's non-terminated pods; `pods` is their count. */
  requested: ResourceList;
  /** CPU and memory requested with the scheduler's stand-ins for unset requests (used by scoring). */
  nonZeroRequested: { cpu: number; memory: number };
  /**
   * The part of `requested` that pods every node runs take: DaemonSet and static
   * (mirror) pods on a live cluster, the declared headroom of a site profile.
   */
  everyNode?: ResourceList;
}

export interface ClusterSnapshot {
  source: 'cluster' | 'profile';
  /** Nodes sorted by name. */
  nodes: SnapshotNode[];
  /** The same nodes by name. */
  byName: ReadonlyMap<string, SnapshotNode>;
  /** Non-terminated pods not yet bound to a node (Pending): they take no capacity yet, but compete for it. */
  unscheduledPods: number;
  /**
   * What this app's own environments' pods request, per namespace and node: deploying an
   * environment again (an update) replaces them, so its fit must not count them (replacing.ts).
   */
  managed?: ReadonlyMap<string, ReadonlyMap<string, ManagedRequests>>;
}

export interface ManagedRequests {
  /** Includes `pods`, their count. */
  requested: ResourceList;
  nonZeroRequested: { cpu: number; memory: number };
}

/** Allocatable minus requested (minus `more`, when given), per resource and for the pod count. */
export function freeResources(node: Pick<SnapshotNode, 'allocatable' | 'requested'>, more?: Readonly<ResourceList>): ResourceList {
  const { allocatable, requested } = node;
  // A copy of allocatable keeps its names first, in order; the ones it lacks follow, as they come.
  const free: ResourceList = { ...allocatable };
  for (const name in requested) {
    const amount = requested[name] as number;
    free[name] = name in allocatable ? (free[name] as number) - amount : -amount;
  }
  if (more) {
    for (const name in more) {
      const amount = more[name] as number;
      free[name] = name in free ? (free[name] as number) - amount : -amount;
    }
  }
  if (!(PODS in free)) free[PODS] = 0;
  return free;
}

export function snapshotOf(source: ClusterSnapshot['source'], nodes: SnapshotNode[], unscheduledPods = 0): ClusterSnapshot {
  const sorted = [...nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { source, nodes: sorted, byName: new Map(sorted.map((node) => [node.name, node])), unscheduledPods };
}

function resourceList(map: Record<string, QuantityInput> | undefined): ResourceList {
  const out: ResourceList = {};
  if (map) for (const name in map) out[name] = resourceAmount(name, map[name] as QuantityInput);
  return out;
}

/** A node as the API returns it, with nothing requested yet. */
export function snapshotNode(node: V1Node): SnapshotNode {
  const status = node.status;
  const allocatable = resourceList(status?.allocatable ?? status?.capacity);
  const ready = status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false;
  return {
    name: node.metadata?.name ?? '',
    labels: { ...(node.metadata?.labels ?? {}) },
    taints: (node.spec?.taints ?? []).map((taint) => {
      const out: NodeTaint = { key: taint.key, effect: taint.effect as TaintEffect };
      if (taint.value !== undefined && taint.value !== '') out.value = taint.value;
      return out;
    }),
    unschedulable: node.spec?.unschedulable === true,
    ready,
    allocatable,
    requested: { [PODS]: 0 },
    nonZeroRequested: { cpu: 0, memory: 0 },
  };
}

/** A DaemonSet's pod, or a static pod (its mirror is owned by the Node): what every node runs besides workloads. */
export function runsOnEveryNode(pod: V1Pod): boolean {
  return pod.metadata?.ownerReferences?.some((owner) => owner.kind === 'DaemonSet' || owner.kind === 'Node') === true;
}

/** True for pods that still hold their node's resources (the scheduler ignores Succeeded and Failed ones). */
export function isNonTerminated(pod: V1Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/**
 * Accumulates nodes and pods page by page, so a cluster of 150,000 pods is
 * never held in memory at once. Pod totals are kept apart from the nodes
 * until `build`, so the two lists may arrive in any order and the pod list
 * can start over (an expired continue token) without touching the nodes.
 */
export class SnapshotBuilder {
  private readonly nodes = new Map<string, SnapshotNode>();
  private podTotals = new Map<string, RequestTotals>();
  private everyNodeTotals = new Map<string, RequestTotals>();
  private managedTotals = new Map<string, Map<string, RequestTotals>>();
  private unscheduled = 0;

  addNode(node: V1Node): void {
    const entry = snapshotNode(node);
    this.nodes.set(entry.name, entry);
  }

  addPod(pod: V1Pod): void {
    if (!isNonTerminated(pod) || !pod.spec) return;
    const nodeName = pod.spec.nodeName;
    if (!nodeName) {
      this.unscheduled += 1;
      return;
    }
    let totals = this.podTotals.get(nodeName);
    if (!totals) {
      totals = new RequestTotals();
      this.podTotals.set(nodeName, totals);
    }
    addPodRequest(pod.spec, totals);
    totals.count += 1;
    if (runsOnEveryNode(pod)) {
      const own = this.everyNodeTotals.get(nodeName) ?? new RequestTotals();
      this.everyNodeTotals.set(nodeName, own);
      addPodRequest(pod.spec, own);
      own.count += 1;
    }
    const namespace = pod.metadata?.namespace;
    if (namespace !== undefined && pod.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY) {
      const byNode = this.managedTotals.get(namespace) ?? new Map<string, RequestTotals>();
      this.managedTotals.set(namespace, byNode);
      const own = byNode.get(nodeName) ?? new RequestTotals();
      byNode.set(nodeName, own);
      addPodRequest(pod.spec, own);
      own.count += 1;
    }
  }

  /** Forgets every pod seen so far (the pod list is being read again). */
  resetPods(): void {
    this.podTotals = new Map();
    this.everyNodeTotals = new Map();
    this.managedTotals = new Map();
    this.unscheduled = 0;
  }

  build(source: ClusterSnapshot['source']): ClusterSnapshot {
    const nodes: SnapshotNode[] = [];
    // Pods bound to a node that no longer exists take nothing from the nodes that do.
    for (const node of this.nodes.values()) {
      const totals = this.podTotals.get(node.name);
      if (!totals) {
        nodes.push(node);
        continue;
      }
      const everyNode = this.everyNodeTotals.get(node.name);
      // A node as addNode made it has requested nothing but its pod count (0) yet.
      nodes.push({
        ...(everyNode === undefined ? {} : { everyNode: everyNode.withPodCount(everyNode.count) }),
        ...node,
        requested: totals.withPodCount((node.requested[PODS] ?? 0) + totals.count),
        nonZeroRequested: {
          cpu: node.nonZeroRequested.cpu + totals.nonZeroCpu,
          memory: node.nonZeroRequested.memory + totals.nonZeroMemory,
        },
      });
    }
    const snapshot = snapshotOf(source, nodes, this.unscheduled);
    if (this.managedTotals.size === 0) return snapshot;
    const managed = new Map<string, Map<string, ManagedRequests>>();
    for (const [namespace, byNode] of this.managedTotals) {
      managed.set(
        namespace,
        new Map(
          [...byNode].map(([node, totals]) => [
            node,
            { requested: totals.withPodCount(totals.count), nonZeroRequested: { cpu: totals.nonZeroCpu, memory: totals.nonZeroMemory } },
          ]),
        ),
      );
    }
    return { ...snapshot, managed };
  }
}

/** Snapshot of in-memory API objects (tests, benchmarks, and a cluster already listed). */
export function snapshotFromObjects(
  nodes: Iterable<V1Node>,
  pods: Iterable<V1Pod>,
  source: ClusterSnapshot['source'] = 'cluster',
): ClusterSnapshot {
  const builder = new SnapshotBuilder();
  for (const node of nodes) builder.addNode(node);
  for (const pod of pods) builder.addPod(pod);
  return builder.build(source);
}
