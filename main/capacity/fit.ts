/**
 * Fit prediction: place a plan's pods one by one, in order, on a copy of the
 * snapshot, as kube-scheduler would — each pod goes through the Filter chain
 * on every node (filters.ts); of the nodes left, the best-scoring one takes it
 * (scoring.ts); a pod no node takes stays Pending with the scheduler's message.
 *
 * Like the scheduler, on clusters of 100 nodes or more the search stops once
 * enough feasible nodes are found (numFeasibleNodesToFind), starting where the
 * previous pod's search ended; a pod that fits nowhere has every node checked.
 *
 * Approximations (documented, deliberate): pods are placed in the given order
 * (the scheduler orders by priority, then creation time); ties go to the first
 * node in search order (the scheduler picks at random); the scheduler's node
 * order is by zone, ours by name; preemption of lower-priority pods is not simulated.
 */
import { NOT_NAMED, placementRejection, placementShape, resourceRejection, resourcesFit, type NodeRejection } from './filters';
import { nodeNamesFromAffinity } from './node-match';
import { say, type Message } from '../messages/message';
import { closestNode, describeRejections, rejectedForRoom } from './fit-hint';
import { initialState, place, preparePod, type NodeState, type PodToPlace } from './placement-state';
import { podCaveats } from './pod-caveats';
import { addInto, PODS, subtract, sumOf, type ResourceList } from './resources';
import { AFFINITY_CONFLICT_MESSAGE, fitErrorMessage, reasonHistogram } from './scheduler-message';
import { pickNode } from './scoring';
import { freeResources, type ClusterSnapshot, type SnapshotNode } from './snapshot';

export type { PodToPlace } from './placement-state';

export interface PodFit {
  component: string;
  pod: string;
  /** The workload it is a replica of (`worker` for `worker-3`). */
  workload: string;
  /** Started at run time by its component (a JupyterHub user server), not when deploying. */
  spawned?: boolean;
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
  /** The same, one message per reason, for the renderer to say in the user's language. */
  hints?: Message[];
  /**
   * When it does not fit for lack of room: the node it came closest to fitting
   * and what that node lacks (`cpu`, `memory`, `pods`: no pod slot…). Absent when
   * every node turned it away for other reasons (cordon, taint, selector).
   */
  closest?: { node: string; short: string[] };
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
  /** The part of `requestedBefore` that pods every node runs take (DaemonSets, static pods, or the profile's headroom). */
  everyNode: ResourceList;
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
  /** Pods already Pending in the cluster before this plan (they compete for the same room). */
  pendingInCluster: number;
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

/** The scheduler's minimum sample and percentage (pkg/scheduler/schedule_one.go, percentageOfNodesToScore unset). */
const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_PERCENTAGE = 5;

/** numFeasibleNodesToFind: on big clusters the scheduler stops filtering once this many nodes fit. */
export function feasibleNodesToFind(nodeCount: number): number {
  if (nodeCount < MIN_FEASIBLE_NODES_TO_FIND) return nodeCount;
  const percentage = Math.max(MIN_FEASIBLE_PERCENTAGE, 50 - Math.trunc(nodeCount / 125));
  return Math.max(MIN_FEASIBLE_NODES_TO_FIND, Math.trunc((nodeCount * percentage) / 100));
}

interface FitRun {
  /**
   * Each node's state in this run: the snapshot's pristine state (shared by every fit on it, frozen) until
   * this run places a pod there, then this run's own copy (ownState).
   */
  states: NodeState[];
  /** Where the next search starts, as the scheduler's nextStartNodeIndex. */
  nextStart: number;
  /**
   * Cordon, taint and affinity verdicts per node (undefined: not yet worked out), shared by the pods of one
   * placement shape and by every fit on the same snapshot (they index `states`, which is the snapshot's node order).
   */
  placement: Map<string, (NodeRejection | null | undefined)[]>;
  /** Nodes holding pods of each spread group. */
  groupNodes: Map<string, NodeState[]>;
  /** What the pending pods drawn on each node (their closest) ask of it. */
  drawn: Map<SnapshotNode, ResourceList>;
}

/** The run's own copy of a node's state, made when it first takes a pod (the pristine one is shared). */
function ownState(run: FitRun, state: NodeState): NodeState {
  if (state.extra !== undefined) return state;
  const copy = { ...state };
  run.states[state.index] = copy;
  return copy;
}

/** The plain-words hint as the CLI prints it and as messages for the renderer. */
function hintOf(hints: Message[]): { hint: string; hints: Message[] } {
  return { hint: hints.map((hint) => hint.text).join('; '), hints };
}

function placeOne(pod: PodToPlace, run: FitRun): PodFit {
  const prepared = preparePod(pod);
  const base: PodFit = {
    component: pod.component,
    pod: pod.name,
    workload: pod.workload ?? pod.name,
    request: withPodSlot(prepared.request.resources),
    fits: false,
    caveats: podCaveats(pod.spec),
  };
  if (pod.spawned) base.spawned = true;
  const named = nodeNamesFromAffinity(pod.spec);
  if (named === 'conflict') {
    return {
      ...base,
      message: AFFINITY_CONFLICT_MESSAGE(run.states.length),
      reasons: {},
      ...hintOf([say('fit.affinityConflict')]),
    };
  }
  // A pod pinned to named nodes is checked on those alone; the others are rejected up front.
  const states = named === undefined ? run.states : run.states.filter((state) => named.has(state.node.name));
  const count = states.length;
  // Verdicts index the run's whole node list, so pods pinned to named nodes (checked on a part of it) work theirs out afresh.
  let verdicts: (NodeRejection | null | undefined)[] | undefined;
  if (named === undefined) {
    const shape = placementShape(prepared);
    verdicts = run.placement.get(shape);
    if (!verdicts) {
      verdicts = new Array<NodeRejection | null | undefined>(count);
      run.placement.set(shape, verdicts);
    }
  }
  const wanted = feasibleNodesToFind(count);
  // Below the sampling size every node is checked, in name order, so ties resolve the same way each time.
  const start = wanted < count ? run.nextStart : 0;
  const placementOf = (at: number): NodeRejection | null => {
    if (!verdicts) return placementRejection(prepared, (states[at] as NodeState).node);
    let rejection = verdicts[at];
    if (rejection === undefined) {
      rejection = placementRejection(prepared, (states[at] as NodeState).node);
      verdicts[at] = rejection;
    }
    return rejection;
  };
  const feasible: NodeState[] = [];
  let processed = 0;
  for (; processed < count && feasible.length < wanted; processed += 1) {
    const at = (start + processed) % count;
    const state = states[at] as NodeState;
    if (placementOf(at) === null && resourcesFit(prepared, state)) feasible.push(state);
  }
  if (named === undefined && count > 0) run.nextStart = (run.nextStart + processed) % count;
  if (feasible.length > 0) {
    const group = pod.spreadGroup;
    const choice = pickNode(prepared, feasible, group === undefined ? [] : run.groupNodes.get(group));
    const chosen = ownState(run, feasible[choice.index] as NodeState);
    if (group !== undefined && !chosen.groupCounts?.has(group)) {
      const holders = run.groupNodes.get(group) ?? [];
      holders.push(chosen);
      run.groupNodes.set(group, holders);
    }
    place(chosen, prepared);
    const fit: PodFit = { ...base, fits: true, node: chosen.node.name };
    if (choice.tied.length > 0) fit.tiedNodes = choice.tied.map((index) => (feasible[index] as NodeState).node.name);
    return fit;
  }
  // Nowhere to go: every node was checked; now say why, node by node.
  const rejected = states.map((state, at) => ({
    state,
    rejection: (placementOf(at) ?? resourceRejection(prepared, state)) as NodeRejection,
  }));
  const closest = closestNode(prepared, rejectedForRoom(rejected), (state) => run.drawn.get(state.node));
  if (closest !== undefined)
    run.drawn.set(closest.state.node, addInto(run.drawn.get(closest.state.node) ?? {}, withPodSlot(prepared.request.resources)));
  const rejections = rejected.map((entry) => entry.rejection);
  if (named !== undefined) for (let left = run.states.length - states.length; left > 0; left -= 1) rejections.push(NOT_NAMED);
  return {
    ...base,
    ...(closest === undefined ? {} : { closest: { node: closest.state.node.name, short: closest.short } }),
    message: fitErrorMessage(rejections, pod.spec.preemptionPolicy),
    reasons: Object.fromEntries(reasonHistogram(rejections)),
    ...hintOf(describeRejections(prepared, rejected, closest)),
  };
}

function headroomOf(state: NodeState): NodeHeadroom {
  const node = state.node;
  const extra = state.extra;
  let planned: ResourceList;
  if (extra === undefined) {
    planned = { [PODS]: 0 };
  } else {
    planned = { ...extra };
    planned[PODS] ??= 0;
  }
  return {
    name: node.name,
    schedulable: !node.unschedulable,
    ready: node.ready,
    allocatable: { ...node.allocatable },
    requestedBefore: { ...node.requested },
    planned,
    freeAfter: freeResources(node, extra),
    plannedPods: state.placedPods === undefined ? [] : [...state.placedPods],
    everyNode: { [PODS]: 0, ...node.everyNode },
  };
}

function totalsOf(snapshot: ClusterSnapshot, states: readonly NodeState[], perPod: readonly PodFit[]): FitTotals {
  const { allocatable, freeBefore } = factsOf(snapshot);
  const placed: ResourceList = {};
  for (const state of states) if (state.extra && !state.node.unschedulable) addInto(placed, state.extra);
  const fitting = perPod.filter((pod) => pod.fits).length;
  return {
    pods: perPod.length,
    fitting,
    pending: perPod.length - fitting,
    planRequest: sumOf(perPod.map((pod) => pod.request)),
    allocatable: { ...allocatable },
    freeBefore: { ...freeBefore },
    freeAfter: subtract(freeBefore, placed),
    pendingInCluster: snapshot.unscheduledPods,
  };
}

/**
 * What every fit on one snapshot shares, worked out once: a keystroke on the
 * Configure page fits some ten plans (its own, the presets, the knob searches)
 * on the same snapshot of up to thousands of nodes. Snapshots are never
 * changed once built (a changed cluster gives a new one), so this is keyed by
 * the snapshot object and dropped with it.
 */
interface SnapshotFacts {
  /** Cordon, taint and affinity verdicts per node by placement shape (they depend on the pod's spec and the node alone). */
  placement: Map<string, (NodeRejection | null | undefined)[]>;
  /** Over schedulable (uncordoned) nodes: cordoned nodes take no new pods, so their room is not counted as free. */
  allocatable: ResourceList;
  freeBefore: ResourceList;
  /** Every node's state before any placement, frozen: a run copies only those it places pods on. */
  states: readonly NodeState[];
  /** Fits of frozen pod lists (main/app/plan-memo.ts gives them): a list that cannot change has one fit per snapshot. */
  fits: WeakMap<readonly PodToPlace[], DeferredFit>;
}

const factsBySnapshot = new WeakMap<ClusterSnapshot, SnapshotFacts>();
/** Pristine states by node: the live cache's next snapshot keeps the nodes no change touched (live-capacity.ts). */
const pristineByNode = new WeakMap<SnapshotNode, NodeState>();

function pristineState(node: SnapshotNode, index: number): NodeState {
  const known = pristineByNode.get(node);
  if (known !== undefined && known.index === index) return known;
  const state = Object.freeze(initialState(node, index));
  pristineByNode.set(node, state);
  return state;
}
/** A bound on the shapes kept per snapshot (a plan has a handful; a long-lived profile snapshot meets many plans). */
const MAX_SHAPES = 256;

function factsOf(snapshot: ClusterSnapshot): SnapshotFacts {
  let facts = factsBySnapshot.get(snapshot);
  if (facts === undefined) {
    const allocatable: ResourceList = {};
    const requested: ResourceList = {};
    for (const node of snapshot.nodes) {
      if (node.unschedulable) continue;
      addInto(allocatable, node.allocatable);
      addInto(requested, node.requested);
    }
    facts = {
      placement: new Map(),
      allocatable,
      freeBefore: freeResources({ allocatable, requested }),
      states: snapshot.nodes.map(pristineState),
      fits: new WeakMap(),
    };
    factsBySnapshot.set(snapshot, facts);
  }
  if (facts.placement.size > MAX_SHAPES) facts.placement.clear();
  return facts;
}

/** A prediction whose per-node headroom is built only when asked for. */
export interface DeferredFit {
  /** The report, with `nodes` left empty. */
  report: FitReport;
  /** The same report with every node's headroom, as predictFit gives it (built on the first call, then the same object). */
  withHeadroom(): FitReport;
}

/**
 * predictFit for searches that try many values and report one (largestThatFits):
 * the headroom of 5,000 nodes is worked out for the one kept, not for each try.
 */
export function predictFitDeferred(snapshot: ClusterSnapshot, pods: readonly PodToPlace[]): DeferredFit {
  const facts = factsOf(snapshot);
  const frozen = Object.isFrozen(pods);
  const kept = frozen ? facts.fits.get(pods) : undefined;
  if (kept !== undefined) return kept;
  const run: FitRun = {
    states: facts.states.slice(),
    nextStart: 0,
    placement: facts.placement,
    groupNodes: new Map(),
    drawn: new Map(),
  };
  const states = run.states;
  const perPod = pods.map((pod) => placeOne(pod, run));
  const report: FitReport = {
    allFit: perPod.every((pod) => pod.fits),
    nodeCount: snapshot.nodes.length,
    perPod,
    nodes: [],
    totals: totalsOf(snapshot, states, perPod),
  };
  // The run's node states are final once every pod is placed: headroom read later is the same as read now.
  let full: FitReport | undefined;
  const deferred: DeferredFit = { report, withHeadroom: () => (full ??= { ...report, nodes: states.map(headroomOf) }) };
  if (frozen) facts.fits.set(pods, deferred);
  return deferred;
}

/** Where each pod of the plan would go on the snapshot's cluster, and why not where it cannot. */
export function predictFit(snapshot: ClusterSnapshot, pods: readonly PodToPlace[], options: FitOptions = {}): FitReport {
  const deferred = predictFitDeferred(snapshot, pods);
  return options.skipHeadroom ? deferred.report : deferred.withHeadroom();
}
