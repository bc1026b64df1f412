/**
 * kube-scheduler's Filter chain (v1.35 default profile) for the plugins that
 * decide capacity: NodeUnschedulable → TaintToleration → NodeAffinity →
 * NodeResourcesFit. Like the scheduler, a node stops at the first plugin that
 * rejects it, and that plugin's reasons (in its exact words) are the node's.
 */
import { blockedByCordon, matchesRequiredPlacement, nodeNamesFromAffinity, untoleratedTaint } from './node-match';
import { usedOf, type NodeState, type PreparedPod } from './placement-state';
import { PODS } from './resources';
import type { SnapshotNode } from './snapshot';

export const REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
/** v1.35 no longer names the taint (it did as `{key: value}` up to v1.34). */
export const REASON_UNTOLERATED_TAINT = 'node(s) had untolerated taint(s)';
export const REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
export const REASON_TOO_MANY_PODS = 'Too many pods';
/** Nodes left out by NodeAffinity's PreFilter (a pod pinned to named nodes). */
export const REASON_NOT_NAMED = "node(s) didn't satisfy plugin(s) [NodeAffinity]";
export const insufficient = (resource: string): string => `Insufficient ${resource}`;

export interface NodeRejection {
  reasons: readonly string[];
  /** UnschedulableAndUnresolvable: evicting pods would not help (matters for the preemption message). */
  unresolvable: boolean;
}

const CORDONED: NodeRejection = { reasons: [REASON_UNSCHEDULABLE], unresolvable: true };
const TAINTED: NodeRejection = { reasons: [REASON_UNTOLERATED_TAINT], unresolvable: true };
const UNMATCHED: NodeRejection = { reasons: [REASON_NODE_AFFINITY], unresolvable: true };
export const NOT_NAMED: NodeRejection = { reasons: [REASON_NOT_NAMED], unresolvable: true };

/**
 * NodeUnschedulable, TaintToleration and NodeAffinity: they depend on the pod's
 * spec and the node alone, never on what is placed, so one answer serves every replica.
 */
export function placementRejection(pod: PreparedPod, node: SnapshotNode): NodeRejection | null {
  if (blockedByCordon(pod.tolerations, node)) return CORDONED;
  if (node.taints.length > 0 && untoleratedTaint(pod.tolerations, node)) return TAINTED;
  if (!matchesRequiredPlacement(pod.source.spec, node)) return UNMATCHED;
  return null;
}

/** Stands for `undefined` in a shape, which JSON would drop (a selector label set to undefined still matters). */
const UNDEFINED = '\u0000undefined';

/**
 * Everything of the pod that placementRejection reads — tolerations (with the
 * defaults the API server adds), nodeSelector and required node affinity — as
 * one string: pods of one shape get the same verdict on every node, so a
 * prediction works each node's verdict out once per shape, not once per pod.
 */
export function placementShape(pod: PreparedPod): string {
  const spec = pod.source.spec;
  return JSON.stringify(
    [pod.tolerations, spec.nodeSelector, spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution],
    (_key, value: unknown) => (value === undefined ? UNDEFINED : value),
  );
}

/** NodeResourcesFit's verdict alone, without building reasons (the common case: the node has room). */
export function resourcesFit(pod: PreparedPod, state: NodeState): boolean {
  if (state.usedPods + 1 > state.allocatablePods) return false;
  if (pod.zeroRequest) return true;
  if (pod.cpu > 0 && pod.cpu > state.allocatableCpu - state.usedCpu) return false;
  if (pod.memory > 0 && pod.memory > state.allocatableMemory - state.usedMemory) return false;
  const others = pod.otherRequests;
  if (others.length === 0) return true;
  const allocatable = state.node.allocatable;
  for (const [name, want] of others) if (want > (allocatable[name] ?? 0) - usedOf(state, name)) return false;
  return true;
}

/** NodeResourcesFit: pod count first, then cpu, memory, ephemeral-storage, then scalar resources. */
export function resourceRejection(pod: PreparedPod, state: NodeState): NodeRejection | null {
  const allocatable = state.node.allocatable;
  let reasons: string[] | undefined;
  let unresolvable = false;
  if (usedOf(state, PODS) + 1 > (allocatable[PODS] ?? 0)) reasons = [REASON_TOO_MANY_PODS];
  if (!pod.zeroRequest) {
    for (const [name, want] of pod.requests) {
      const capacity = allocatable[name] ?? 0;
      if (want > capacity - usedOf(state, name)) {
        (reasons ??= []).push(insufficient(name));
        if (want > capacity) unresolvable = true;
      }
    }
  }
  return reasons ? { reasons, unresolvable } : null;
}

/** Why the node cannot take the pod now, or null when it can. */
export function rejectNode(pod: PreparedPod, state: NodeState): NodeRejection | null {
  return placementRejection(pod, state.node) ?? resourceRejection(pod, state);
}

/**
 * Every node's verdict for the pod (null: it fits there), PreFilter included:
 * a pod pinned to named nodes rejects the others up front. 'conflict' when its
 * node names cancel out and no node is even considered.
 */
export function verdictsFor(pod: PreparedPod, states: readonly NodeState[]): (NodeRejection | null)[] | 'conflict' {
  const named = nodeNamesFromAffinity(pod.source.spec);
  if (named === 'conflict') return 'conflict';
  return states.map((state) => (named !== undefined && !named.has(state.node.name) ? NOT_NAMED : rejectNode(pod, state)));
}
