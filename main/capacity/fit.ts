/**
 * Fit prediction: place a plan's pods one by one, in order, on a copy of the
 * snapshot, as kube-scheduler would — each pod goes through the Filter chain
 * on every node (filters.ts); of the nodes left, the best-scoring one takes it
 * (scoring.ts); a pod no node takes stays Pending with the scheduler's message.
 *
 * Approximations (documented, deliberate): pods are placed in the given order
 * (the scheduler orders by priority, then creation time); every node is
 * scored (on clusters over 100 nodes the scheduler scores a sample); ties go
 * to the first node by name (the scheduler picks at random); preemption of
 * lower-priority pods is not simulated.
 */
import { rejectNode, type NodeRejection } from './filters';
import { describeRejections } from './fit-hint';
import { initialStates, place, preparePod, type NodeState, type PodToPlace } from './placement-state';
import { podCaveats } from './pod-caveats';
import { addInto, PODS, subtract, sumOf, type ResourceList } from './resources';
import { fitErrorMessage, reasonHistogram } from './scheduler-message';
import { pickNode } from './scoring';
import { freeResources, type ClusterSnapshot } from './snapshot';

export type { PodToPlace } from './placement-state';

export interface PodFit {
  component: string;
  pod: string;
  /** Effective request in scheduler units (cpu in millicores, bytes, counts), with `pods: 1`. */
  request: ResourceList;
  fits: boolean;
  /** The node chosen, when it fits. */
  node?: string;
  /**
   * Other nodes that scored the same as `node`: the real scheduler picks among
   * them at random, so later placements may differ from this prediction.
   */
  tiedNodes?: string[];
  /** When it does not fit: kube-scheduler's FailedScheduling message, word for word. */
  message?: string;
  /** When it does not fit: each reason with the number of nodes that gave it. */
  reasons?: Record<string, number>;
  /** When it does not fit: what stands in the way, in plain words (names taints and the closest node). */
  hint?: string;
  /** Parts of the spec the prediction does not check. */
  caveats: string[];
}

export interface NodeHeadroom {
  name: string;
  /** Not cordoned. */
  schedulable: boolean;
  ready: boolean;
  allocatable: ResourceList;
  /** Requested by the pods already there. */
  requestedBefore: ResourceList;
  /** Requested by this plan's pods placed here (`pods` = their count). */
  planned: ResourceList;
  /** allocatable − requestedBefore − planned. */
  freeAfter: ResourceList;
  /** Names of the plan's pods placed here. */
  plannedPods: string[];
}

export interface FitTotals {
  pods: number;
  fitting: number;
  pending: number;
  /** Sum of every plan pod's request, placed or not. */
  planRequest: ResourceList;
  /** Over schedulable (uncordoned) nodes. */
  allocatable: ResourceList;
  freeBefore: ResourceList;
  freeAfter: ResourceList;
}

export interface FitReport {
  allFit: boolean;
  nodeCount: number;
  perPod: PodFit[];
  /** Every node, in snapshot order (by name). */
  nodes: NodeHeadroom[];
  totals: FitTotals;
}

export interface FitOptions {
  /** Leave `nodes` empty (sizing searches that only need the verdict). */
  skipHeadroom?: boolean;
}

function withPodSlot(resources: ResourceList): ResourceList {
  return { ...resources, [PODS]: 1 };
}

function placeOne(pod: PodToPlace, states: NodeState[]): PodFit {
  const prepared = preparePod(pod);
  const base: PodFit = { component: pod.component, pod: pod.name, request: withPodSlot(prepared.request.resources), fits: false, caveats: podCaveats(pod.spec) };
  const feasible: NodeState[] = [];
  const rejections: NodeRejection[] = [];
  const rejected: { state: NodeState; rejection: NodeRejection }[] = [];
  for (const state of states) {
    const rejection = rejectNode(prepared, state);
    if (rejection) {
      rejections.push(rejection);
      rejected.push({ state, rejection });
    } else {
      feasible.push(state);
    }
  }
  if (feasible.length > 0) {
    const choice = pickNode(prepared, feasible, states);
    const chosen = feasible[choice.index] as NodeState;
    place(chosen, prepared);
    const fit: PodFit = { ...base, fits: true, node: chosen.node.name };
    if (choice.tied.length > 0) fit.tiedNodes = choice.tied.map((index) => (feasible[index] as NodeState).node.name);
    return fit;
  }
  return {
    ...base,
    message: fitErrorMessage(rejections, pod.spec.preemptionPolicy),
    reasons: Object.fromEntries(reasonHistogram(rejections)),
    hint: describeRejections(prepared, rejected),
  };
}

function headroomOf(state: NodeState): NodeHeadroom {
  const node = state.node;
  const planned: ResourceList = { ...(state.extra ?? {}) };
  planned[PODS] ??= 0;
  return {
    name: node.name,
    schedulable: !node.unschedulable,
    ready: node.ready,
    allocatable: node.allocatable,
    requestedBefore: node.requested,
    planned,
    freeAfter: subtract(freeResources(node), planned),
    plannedPods: state.placedPods ?? [],
  };
}

function totalsOf(snapshot: ClusterSnapshot, states: readonly NodeState[], perPod: readonly PodFit[]): FitTotals {
  const allocatable: ResourceList = {};
  const freeBefore: ResourceList = {};
  const placed: ResourceList = {};
  for (const state of states) {
    if (state.node.unschedulable) continue;
    addInto(allocatable, state.node.allocatable);
    addInto(freeBefore, freeResources(state.node));
    if (state.extra) addInto(placed, state.extra);
  }
  const fitting = perPod.filter((pod) => pod.fits).length;
  return {
    pods: perPod.length,
    fitting,
    pending: perPod.length - fitting,
    planRequest: sumOf(perPod.map((pod) => pod.request)),
    allocatable,
    freeBefore,
    freeAfter: subtract(freeBefore, placed),
  };
}

/** Where each pod of the plan would go on the snapshot's cluster, and why not where it cannot. */
export function predictFit(snapshot: ClusterSnapshot, pods: readonly PodToPlace[], options: FitOptions = {}): FitReport {
  const states = initialStates(snapshot.nodes);
  const perPod = pods.map((pod) => placeOne(pod, states));
  return {
    allFit: perPod.every((pod) => pod.fits),
    nodeCount: snapshot.nodes.length,
    perPod,
    nodes: options.skipHeadroom ? [] : states.map(headroomOf),
    totals: totalsOf(snapshot, states, perPod),
  };
}
