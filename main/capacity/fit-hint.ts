/**
 * The plain-words companion of the scheduler's message for a pod that does
 * not fit: what it needs, the node that comes closest, and which taints
 * block it (kube-scheduler v1.35 no longer names them).
 */
import { REASON_NODE_AFFINITY, REASON_UNSCHEDULABLE, REASON_UNTOLERATED_TAINT, type NodeRejection } from './filters';
import { say, type Message } from '../messages/message';
import { formatResources } from './format';
import { untoleratedTaint } from './node-match';
import { usedOf, type NodeState, type PreparedPod } from './placement-state';
import { PODS, type ResourceList } from './resources';

interface Rejected {
  state: NodeState;
  rejection: NodeRejection;
}

function freeOn(state: NodeState, names: readonly string[]): ResourceList {
  const free: ResourceList = {};
  for (const name of names) free[name] = (state.node.allocatable[name] ?? 0) - usedOf(state, name);
  return free;
}

/** How far the node is from taking the pod: the worst shortfall as a fraction of the request. */
function shortfall(pod: PreparedPod, state: NodeState): number {
  let worst = (state.node.allocatable[PODS] ?? 0) - usedOf(state, PODS) < 1 ? 1 : 0;
  for (const [name, want] of Object.entries(pod.request.resources)) {
    if (want <= 0) continue;
    const free = (state.node.allocatable[name] ?? 0) - usedOf(state, name);
    worst = Math.max(worst, (want - free) / want);
  }
  return worst;
}

function resourceHint(pod: PreparedPod, candidates: readonly NodeState[]): Message {
  const names = Object.keys(pod.request.resources);
  let closest = candidates[0] as NodeState;
  let best = shortfall(pod, closest);
  for (const state of candidates.slice(1)) {
    const distance = shortfall(pod, state);
    if (distance < best) {
      best = distance;
      closest = state;
    }
  }
  const shown = [...names, PODS];
  const free = formatResources(freeOn(closest, shown), shown);
  return names.length > 0
    ? say('fit.needsClosest', { needs: formatResources(pod.request.resources), node: closest.node.name, free })
    : say('fit.needsSlotClosest', { node: closest.node.name, free });
}

/** Why no node takes the pod, in plain words, one message per kind of reason. */
export function describeRejections(pod: PreparedPod, rejected: readonly Rejected[]): Message[] {
  if (rejected.length === 0) return [say('fit.noNodes')];
  const byResources: NodeState[] = [];
  const taints = new Map<string, number>();
  let cordoned = 0;
  let unmatched = 0;
  for (const { state, rejection } of rejected) {
    const first = rejection.reasons[0];
    if (first === REASON_UNSCHEDULABLE) cordoned += 1;
    else if (first === REASON_NODE_AFFINITY) unmatched += 1;
    else if (first === REASON_UNTOLERATED_TAINT) {
      const taint = untoleratedTaint(pod.tolerations, state.node);
      const text = taint ? `${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}` : 'unknown';
      taints.set(text, (taints.get(text) ?? 0) + 1);
    } else byResources.push(state);
  }
  const parts: Message[] = [];
  if (byResources.length > 0) parts.push(resourceHint(pod, byResources));
  if (cordoned > 0) parts.push(say('fit.cordoned', { count: cordoned }));
  for (const [taint, count] of taints) parts.push(say('fit.untoleratedTaint', { count, taint }));
  if (unmatched > 0) parts.push(say('fit.affinityUnmatched', { count: unmatched }));
  return parts;
}
