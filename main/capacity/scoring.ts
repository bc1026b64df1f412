/**
 * Which feasible node the scheduler would pick: the default profile's score
 * plugins (v1.35) that depend on what we know, with their weights —
 *   NodeResourcesFit LeastAllocated (cpu, memory; weight 1)
 *   NodeResourcesBalancedAllocation (cpu, memory; weight 1)
 *   TaintToleration, PreferNoSchedule taints (weight 3)
 *   NodeAffinity, preferred terms (weight 2)
 *   PodTopologySpread, system-default constraints for replicas of one controller (weight 2)
 * InterPodAffinity and ImageLocality are left out (we know neither the pods'
 * affinities nor the node images); they add the same to every node here.
 * The scheduler breaks ties at random; we take the first in search order
 * (by name, unless a big cluster is being sampled).
 */
import { intolerablePreferNoSchedule, matchesRequiredPlacement, preferredAffinityScore } from './node-match';
import type { NodeState, PreparedPod } from './placement-state';

const MAX_NODE_SCORE = 100;
const WEIGHT_FIT = 1;
const WEIGHT_BALANCED = 1;
const WEIGHT_TAINT = 3;
const WEIGHT_AFFINITY = 2;
const WEIGHT_SPREAD = 2;

/** The scheduler's system-default spreading: ScheduleAnyway, maxSkew 3 per host, 5 per zone. */
const HOST_MAX_SKEW = 3;
const ZONE_MAX_SKEW = 5;

/** LeastAllocated over cpu and memory, counting unset requests at the scheduler's stand-ins. */
function leastAllocated(pod: PreparedPod, state: NodeState): number {
  const node = state.node;
  const cpuCapacity = state.allocatableCpu;
  const memoryCapacity = state.allocatableMemory;
  let sum = 0;
  let weights = 0;
  if (cpuCapacity > 0) {
    const requested = node.nonZeroRequested.cpu + state.extraNonZeroCpu + pod.request.nonZeroCpu;
    sum += requested > cpuCapacity ? 0 : Math.floor(((cpuCapacity - requested) * MAX_NODE_SCORE) / cpuCapacity);
    weights += 1;
  }
  if (memoryCapacity > 0) {
    const requested = node.nonZeroRequested.memory + state.extraNonZeroMemory + pod.request.nonZeroMemory;
    sum += requested > memoryCapacity ? 0 : Math.floor(((memoryCapacity - requested) * MAX_NODE_SCORE) / memoryCapacity);
    weights += 1;
  }
  return weights === 0 ? 0 : Math.floor(sum / weights);
}

/** BalancedAllocation: 1 − std of the cpu and memory fractions, on actual requests; skipped for best-effort pods. */
function balanced(pod: PreparedPod, state: NodeState): number {
  const wantCpu = pod.cpu;
  const wantMemory = pod.memory;
  if (wantCpu === 0 && wantMemory === 0) return 0;
  const cpuCapacity = state.allocatableCpu;
  const memoryCapacity = state.allocatableMemory;
  if (cpuCapacity === 0 || memoryCapacity === 0) return MAX_NODE_SCORE;
  const cpuFraction = Math.min(1, (state.usedCpu + wantCpu) / cpuCapacity);
  const memoryFraction = Math.min(1, (state.usedMemory + wantMemory) / memoryCapacity);
  return Math.trunc((1 - Math.abs((cpuFraction - memoryFraction) / 2)) * MAX_NODE_SCORE);
}

/** helper.DefaultNormalizeScore. */
function normalise(raw: number[], reverse: boolean): number[] {
  let max = 0;
  for (const score of raw) if (score > max) max = score;
  if (max === 0) return raw.map(() => (reverse ? MAX_NODE_SCORE : 0));
  return raw.map((score) => {
    const scaled = Math.trunc((MAX_NODE_SCORE * score) / max);
    return reverse ? MAX_NODE_SCORE - scaled : scaled;
  });
}

/** `groupNodes`: the nodes that already hold pods of the pod's spread group. */
function spreadScores(pod: PreparedPod, feasible: readonly NodeState[], groupNodes: readonly NodeState[]): number[] | undefined {
  const group = pod.source.spreadGroup;
  if (group === undefined || (pod.source.spec.topologySpreadConstraints?.length ?? 0) > 0) return undefined;
  // Pods per zone, over the nodes the pod's own node selection admits (nodeAffinityPolicy Honor).
  const zoneCounts = new Map<string, number>();
  const zoneValues = new Set<string>();
  for (const state of feasible) zoneValues.add(state.zone ?? '');
  for (const state of groupNodes) {
    const count = state.groupCounts?.get(group);
    if (!count || !matchesRequiredPlacement(pod.source.spec, state.node)) continue;
    const zone = state.zone ?? '';
    if (zoneValues.has(zone)) zoneCounts.set(zone, (zoneCounts.get(zone) ?? 0) + count);
  }
  const weightOf = (size: number): number => Math.log(size + 2);
  const hostWeight = weightOf(feasible.length);
  const zoneWeight = weightOf(zoneValues.size);
  const raw = new Array<number>(feasible.length);
  let min = Infinity;
  let max = 0;
  for (let index = 0; index < feasible.length; index += 1) {
    const state = feasible[index] as NodeState;
    let score = 0;
    if (state.hostname !== undefined) score += (state.groupCounts?.get(group) ?? 0) * hostWeight + (HOST_MAX_SKEW - 1);
    if (state.zone !== undefined) score += (zoneCounts.get(state.zone) ?? 0) * zoneWeight + (ZONE_MAX_SKEW - 1);
    const rounded = Math.round(score);
    raw[index] = rounded;
    if (rounded < min) min = rounded;
    if (rounded > max) max = rounded;
  }
  for (let index = 0; index < raw.length; index += 1)
    raw[index] = max === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (max + min - (raw[index] as number))) / max);
  return raw;
}

export interface NodeChoice {
  /** Index into `feasible` of the node taken. */
  index: number;
  /** Indexes of the other nodes with the same top score: the scheduler picks among them at random. */
  tied: number[];
}

/** The node the scheduler would most likely choose among the feasible ones. */
export function pickNode(pod: PreparedPod, feasible: readonly NodeState[], groupNodes: readonly NodeState[] = []): NodeChoice {
  if (feasible.length === 1) return { index: 0, tied: [] };
  const tainted = feasible.some((state) => state.node.taints.length > 0);
  const preferTolerations = tainted
    ? pod.tolerations.filter((toleration) => !toleration.effect || toleration.effect === 'PreferNoSchedule')
    : [];
  // With no taint on any feasible node every node scores the full TaintToleration score.
  const taints = tainted
    ? normalise(
        feasible.map((state) => (state.node.taints.length === 0 ? 0 : intolerablePreferNoSchedule(preferTolerations, state.node))),
        true,
      )
    : undefined;
  const affinity = pod.source.spec.affinity?.nodeAffinity;
  const preferred = affinity?.preferredDuringSchedulingIgnoredDuringExecution?.length
    ? normalise(
        feasible.map((state) => preferredAffinityScore(affinity, state.node)),
        false,
      )
    : undefined;
  const spread = spreadScores(pod, feasible, groupNodes);
  let best = 0;
  let bestScore = -Infinity;
  let tied: number[] = [];
  for (let index = 0; index < feasible.length; index += 1) {
    const state = feasible[index] as NodeState;
    const score =
      WEIGHT_FIT * leastAllocated(pod, state) +
      WEIGHT_BALANCED * balanced(pod, state) +
      WEIGHT_TAINT * (taints === undefined ? MAX_NODE_SCORE : (taints[index] as number)) +
      WEIGHT_AFFINITY * (preferred?.[index] ?? 0) +
      WEIGHT_SPREAD * (spread?.[index] ?? 0);
    if (score > bestScore) {
      bestScore = score;
      best = index;
      tied = [];
    } else if (score === bestScore) {
      tied.push(index);
    }
  }
  return { index: best, tied };
}
