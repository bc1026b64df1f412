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

export interface Rejected {
  state: NodeState;
  rejection: NodeRejection;
}

function freeOn(state: NodeState, names: readonly string[]): ResourceList {
  const free: ResourceList = {};
  for (const name of names) free[name] = (state.node.allocatable[name] ?? 0) - usedOf(state, name);
  return free;
}

/**
 * How far the node is from taking the pod: the worst shortfall as a fraction of
 * the request, counting as taken what `drawn` says earlier pending pods were drawn there.
 */
function shortfall(pod: PreparedPod, state: NodeState, drawn?: Readonly<ResourceList>): number {
  let worst = (state.node.allocatable[PODS] ?? 0) - usedOf(state, PODS) - (drawn?.[PODS] ?? 0) < 1 ? 1 : 0;
  for (const [name, want] of Object.entries(pod.request.resources)) {
    if (want <= 0) continue;
    const free = (state.node.allocatable[name] ?? 0) - usedOf(state, name) - (drawn?.[name] ?? 0);
    worst = Math.max(worst, (want - free) / want);
  }
  return worst;
}

/** The node that comes closest to taking the pod, and what it lacks there (`pods`: no pod slot left). */
export interface Closest {
  state: NodeState;
  short: string[];
}

/**
 * `drawn`: what pending pods already drawn on each node ask of it, so the next
 * pending replica goes to the next-closest node rather than piling on the first.
 * What the node lacks is always said of its real free room.
 */
export function closestNode(
  pod: PreparedPod,
  candidates: readonly NodeState[],
  drawn?: (state: NodeState) => Readonly<ResourceList> | undefined,
): Closest | undefined {
  let closest: NodeState | undefined;
  let best = Infinity;
  for (const state of candidates) {
    const distance = shortfall(pod, state, drawn?.(state));
    if (distance < best) {
      best = distance;
      closest = state;
    }
  }
  if (closest === undefined) return undefined;
  const short: string[] = [];
  if ((closest.node.allocatable[PODS] ?? 0) - usedOf(closest, PODS) < 1) short.push(PODS);
  for (const [name, want] of Object.entries(pod.request.resources))
    if (want > 0 && want > (closest.node.allocatable[name] ?? 0) - usedOf(closest, name)) short.push(name);
  return { state: closest, short };
}

function resourceHint(pod: PreparedPod, closest: NodeState): Message {
  const names = Object.keys(pod.request.resources);
  const shown = [...names, PODS];
  const free = formatResources(freeOn(closest, shown), shown);
  return names.length > 0
    ? say('fit.needsClosest', { needs: formatResources(pod.request.resources), node: closest.node.name, free })
    : say('fit.needsSlotClosest', { node: closest.node.name, free });
}

/** The nodes that turned the pod away for lack of room alone (not cordon, taint or selector). */
export function rejectedForRoom(rejected: readonly Rejected[]): NodeState[] {
  return rejected
    .filter(({ rejection }) => {
      const first = rejection.reasons[0];
      return first !== REASON_UNSCHEDULABLE && first !== REASON_NODE_AFFINITY && first !== REASON_UNTOLERATED_TAINT;
    })
    .map(({ state }) => state);
}

/**
 * Why no node takes the pod, in plain words, one message per kind of reason.
 * `closest`: the node the pod is drawn on, when the caller chose it already (fit.ts spreads pending replicas).
 */
export function describeRejections(pod: PreparedPod, rejected: readonly Rejected[], closest?: Closest): Message[] {
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
  const nearest = closest ?? closestNode(pod, byResources);
  if (nearest !== undefined) parts.push(resourceHint(pod, nearest.state));
  if (cordoned > 0) parts.push(say('fit.cordoned', { count: cordoned }));
  for (const [taint, count] of taints) parts.push(say('fit.untoleratedTaint', { count, taint }));
  if (unmatched > 0) parts.push(say('fit.affinityUnmatched', { count: unmatched }));
  return parts;
}
