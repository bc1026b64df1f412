/**
 * kube-scheduler's Filter chain (v1.35 default profile) for the plugins that
 * decide capacity: NodeUnschedulable → TaintToleration → NodeAffinity →
 * NodeResourcesFit. Like the scheduler, a node stops at the first plugin that
 * rejects it, and that plugin's reasons (in its exact words) are the node's.
 */
import { blockedByCordon, matchesRequiredPlacement, untoleratedTaint } from './node-match';
import { usedOf, type NodeState, type PreparedPod } from './placement-state';
import { CPU, EPHEMERAL_STORAGE, MEMORY, PODS } from './resources';

export const REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
/** v1.35 no longer names the taint (it did as `{key: value}` up to v1.34). */
export const REASON_UNTOLERATED_TAINT = 'node(s) had untolerated taint(s)';
export const REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
export const REASON_TOO_MANY_PODS = 'Too many pods';
export const insufficient = (resource: string): string => `Insufficient ${resource}`;

export interface NodeRejection {
  reasons: string[];
  /** UnschedulableAndUnresolvable: evicting pods would not help (matters for the preemption message). */
  unresolvable: boolean;
}

const ORDERED_RESOURCES = [CPU, MEMORY, EPHEMERAL_STORAGE];

/** NodeResourcesFit: pod count first, then cpu, memory, ephemeral-storage, then scalar resources. */
function resourcesFit(pod: PreparedPod, state: NodeState): NodeRejection | undefined {
  const allocatable = state.node.allocatable;
  const reasons: string[] = [];
  let unresolvable = false;
  if (usedOf(state, PODS) + 1 > (allocatable[PODS] ?? 0)) reasons.push(REASON_TOO_MANY_PODS);
  if (!pod.zeroRequest) {
    const requested = pod.request.resources;
    const check = (name: string): void => {
      const want = requested[name] ?? 0;
      if (want <= 0) return;
      const capacity = allocatable[name] ?? 0;
      if (want > capacity - usedOf(state, name)) {
        reasons.push(insufficient(name));
        if (want > capacity) unresolvable = true;
      }
    };
    for (const name of ORDERED_RESOURCES) check(name);
    for (const name in requested) if (!ORDERED_RESOURCES.includes(name)) check(name);
  }
  return reasons.length > 0 ? { reasons, unresolvable } : undefined;
}

/** Why the node cannot take the pod now, or undefined when it can. */
export function rejectNode(pod: PreparedPod, state: NodeState): NodeRejection | undefined {
  if (blockedByCordon(pod.tolerations, state.node)) return { reasons: [REASON_UNSCHEDULABLE], unresolvable: true };
  if (untoleratedTaint(pod.tolerations, state.node)) return { reasons: [REASON_UNTOLERATED_TAINT], unresolvable: true };
  if (!matchesRequiredPlacement(pod.source.spec, state.node)) return { reasons: [REASON_NODE_AFFINITY], unresolvable: true };
  return resourcesFit(pod, state);
}
