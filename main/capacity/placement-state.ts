/**
 * The working state of one fit prediction: the pod being placed, prepared
 * once, and each node with what this prediction has already put on it. The
 * snapshot itself is never changed; placements live in the per-node extras.
 */
import type { V1PodSpec, V1Toleration } from '@kubernetes/client-node';
import { podRequest, type PodRequest } from './pod-request';
import { addInto, CPU, EPHEMERAL_STORAGE, MEMORY, PODS, type ResourceList } from './resources';
import type { SnapshotNode } from './snapshot';

export interface PodToPlace {
  /** The plan component the pod belongs to. */
  component: string;
  /** The pod's name as shown to the user, e.g. `dask-worker-2`. */
  name: string;
  /** The workload whose replica it is, e.g. `dask-worker` (default: `name`). */
  workload?: string;
  spec: V1PodSpec;
  /**
   * Pods of one controller (a Deployment's or StatefulSet's replicas). The
   * scheduler's default topology spreading scores them apart; omit for bare pods.
   */
  spreadGroup?: string;
  /** Started at run time by its component (a JupyterHub user server), not when deploying. */
  spawned?: boolean;
}

/**
 * Tolerations the API server adds to every pod (DefaultTolerationSeconds
 * admission): NoExecute not-ready / unreachable, for 300 s.
 */
const DEFAULT_TOLERATIONS: V1Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

export interface PreparedPod {
  source: PodToPlace;
  request: PodRequest;
  tolerations: V1Toleration[];
  /** Requested resources above zero, cpu, memory and ephemeral-storage first (the order of the scheduler's checks). */
  requests: [string, number][];
  /** True when the pod requests nothing but its pod slot. */
  zeroRequest: boolean;
  /** Its cpu and memory requests (0 when none), checked against every node without looking them up by name. */
  cpu: number;
  memory: number;
  /** `requests` other than cpu and memory. */
  otherRequests: [string, number][];
}

export const HOSTNAME_LABEL = 'kubernetes.io/hostname';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

const FIRST_CHECKED = [CPU, MEMORY, EPHEMERAL_STORAGE];

export function preparePod(pod: PodToPlace): PreparedPod {
  const request = podRequest(pod.spec);
  const own = pod.spec.tolerations ?? [];
  const tolerations = [...own];
  for (const fallback of DEFAULT_TOLERATIONS) {
    if (!own.some((toleration) => toleration.key === fallback.key && (toleration.effect ?? 'NoExecute') === 'NoExecute'))
      tolerations.push(fallback);
  }
  const requests: [string, number][] = [];
  for (const name of FIRST_CHECKED) if ((request.resources[name] ?? 0) > 0) requests.push([name, request.resources[name] as number]);
  for (const [name, amount] of Object.entries(request.resources))
    if (!FIRST_CHECKED.includes(name) && amount > 0) requests.push([name, amount]);
  const otherRequests = requests.filter(([name]) => name !== CPU && name !== MEMORY);
  const cpu = request.resources[CPU] ?? 0;
  const memory = request.resources[MEMORY] ?? 0;
  return {
    source: pod,
    request,
    tolerations,
    requests,
    zeroRequest: Object.keys(request.resources).length === 0,
    cpu: cpu > 0 ? cpu : 0,
    memory: memory > 0 ? memory : 0,
    otherRequests,
  };
}

export interface NodeState {
  node: SnapshotNode;
  /** The node's place in the snapshot's node list. */
  index: number;
  /** Requested now: by the node's pods and by this prediction (the snapshot's own list until the first placement). */
  used: ResourceList;
  /** Requests placed on this node by the prediction so far (pods counted under `pods`). */
  extra: ResourceList | undefined;
  extraNonZeroCpu: number;
  extraNonZeroMemory: number;
  /** Plan pods placed here, by spread group. */
  groupCounts: Map<string, number> | undefined;
  placedPods: string[] | undefined;
  /**
   * Copies of the amounts every pod is checked and scored against (the
   * node's allocatable and `used`, 0 when absent), as plain fields: a big
   * cluster has each of them read thousands of times per prediction.
   */
  allocatablePods: number;
  allocatableCpu: number;
  allocatableMemory: number;
  usedPods: number;
  usedCpu: number;
  usedMemory: number;
  /** The node's hostname and zone labels, which default topology spreading scores by. */
  hostname: string | undefined;
  zone: string | undefined;
}

export function initialState(node: SnapshotNode, index: number): NodeState {
  const { allocatable, requested } = node;
  return {
    node,
    index,
    used: requested,
    extra: undefined,
    extraNonZeroCpu: 0,
    extraNonZeroMemory: 0,
    groupCounts: undefined,
    placedPods: undefined,
    allocatablePods: allocatable[PODS] ?? 0,
    allocatableCpu: allocatable[CPU] ?? 0,
    allocatableMemory: allocatable[MEMORY] ?? 0,
    usedPods: requested[PODS] ?? 0,
    usedCpu: requested[CPU] ?? 0,
    usedMemory: requested[MEMORY] ?? 0,
    hostname: node.labels[HOSTNAME_LABEL],
    zone: node.labels[ZONE_LABEL],
  };
}

export function initialStates(nodes: readonly SnapshotNode[]): NodeState[] {
  return nodes.map((node, index) => initialState(node, index));
}

/** Requested on the node now: its pods' plus this prediction's. */
export function usedOf(state: NodeState, resource: string): number {
  return state.used[resource] ?? 0;
}

export function place(state: NodeState, pod: PreparedPod): void {
  if (state.extra === undefined) {
    state.extra = {};
    state.used = { ...state.node.requested };
  }
  addInto(state.extra, pod.request.resources);
  addInto(state.used, pod.request.resources);
  state.extra[PODS] = (state.extra[PODS] ?? 0) + 1;
  state.used[PODS] = (state.used[PODS] ?? 0) + 1;
  state.usedPods = state.used[PODS] ?? 0;
  state.usedCpu = state.used[CPU] ?? 0;
  state.usedMemory = state.used[MEMORY] ?? 0;
  state.extraNonZeroCpu += pod.request.nonZeroCpu;
  state.extraNonZeroMemory += pod.request.nonZeroMemory;
  const group = pod.source.spreadGroup;
  if (group !== undefined) {
    state.groupCounts ??= new Map();
    state.groupCounts.set(group, (state.groupCounts.get(group) ?? 0) + 1);
  }
  (state.placedPods ??= []).push(pod.source.name);
}
