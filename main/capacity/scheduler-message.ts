/**
 * kube-scheduler's FailedScheduling message (framework.FitError.Error, v1.35):
 *   "0/6 nodes are available: 1 node(s) had untolerated taint(s), 5 Insufficient memory.
 *    no new claims to deallocate, preemption: 0/6 nodes are available: 1 Preemption is
 *    not helpful for scheduling, 5 No preemption victims found for incoming pod."
 * Each reason is counted once per node that gave it, and the "<count> <reason>"
 * strings are sorted as strings (Go's sort.Strings), so "10 …" comes before "2 …".
 * After the filters' part come the PostFilter plugins' messages joined by ", ":
 * DynamicResources (on by default since DRA went GA), then DefaultPreemption.
 */
import type { NodeRejection } from './filters';

export const NO_NODES_MESSAGE = 'no nodes available to schedule pods';
export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_PREEMPTION_VICTIMS = 'No preemption victims found for incoming pod';
export const PREEMPTION_NEVER = 'not eligible due to preemptionPolicy=Never.';
/**
 * A pod whose node-name affinity terms cancel out fails in PreFilter; the
 * PostFilter step then ends on an internal "not found", which v1.35 prints as is.
 */
export const AFFINITY_CONFLICT_MESSAGE = (nodeCount: number): string =>
  `0/${nodeCount} nodes are available: pod affinity terms conflict. not found`;
/** DynamicResources' PostFilter for a pod without resource claims. */
export const NO_CLAIMS_TO_DEALLOCATE = 'no new claims to deallocate';

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function histogramText(histogram: ReadonlyMap<string, number>): string {
  return [...histogram]
    .map(([reason, count]) => `${count} ${reason}`)
    .sort(byteOrder)
    .join(', ');
}

function availability(nodeCount: number, histogram: ReadonlyMap<string, number>): string {
  const text = histogramText(histogram);
  return `0/${nodeCount} nodes are available:${text === '' ? '' : ` ${text}.`}`;
}

/** Reason → number of nodes that gave it. */
export function reasonHistogram(rejections: Iterable<NodeRejection>): Map<string, number> {
  const histogram = new Map<string, number>();
  for (const rejection of rejections) for (const reason of rejection.reasons) histogram.set(reason, (histogram.get(reason) ?? 0) + 1);
  return histogram;
}

/**
 * The whole message, including DefaultPreemption's part. Preemption is
 * described as finding no victims: pods of the plan do not outrank the
 * cluster's pods (the snapshot does not record priorities).
 */
export function fitErrorMessage(rejections: readonly NodeRejection[], preemptionPolicy: string | undefined): string {
  if (rejections.length === 0) return NO_NODES_MESSAGE;
  const main = availability(rejections.length, reasonHistogram(rejections));
  const postFilter = `${main} ${NO_CLAIMS_TO_DEALLOCATE}, preemption:`;
  if (preemptionPolicy === 'Never') return `${postFilter} ${PREEMPTION_NEVER}`;
  const preemption = new Map<string, number>();
  for (const rejection of rejections) {
    const reason = rejection.unresolvable ? PREEMPTION_NOT_HELPFUL : NO_PREEMPTION_VICTIMS;
    preemption.set(reason, (preemption.get(reason) ?? 0) + 1);
  }
  return `${postFilter} ${availability(rejections.length, preemption)}`;
}
