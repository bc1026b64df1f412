/**
 * Newest event first. Events carry their time in two shapes: core/v1's
 * second-precision `lastTimestamp` and the events API's microsecond
 * `eventTime` (the scheduler writes those), so they are compared as instants,
 * not as strings ("…05Z" sorts after "…05.4Z" as text). Within one second,
 * the API server's resource version says which was written later; it is only
 * a tie-break, and only when it is the number etcd hands out.
 */
import type { EventFacts } from './kube-objects';

export function newestEventFirst(a: EventFacts, b: EventFacts): number {
  const byTime = instant(b.lastSeen) - instant(a.lastSeen);
  if (byTime !== 0 && Math.abs(byTime) >= 1000) return byTime;
  const byVersion = version(b.resourceVersion) - version(a.resourceVersion);
  if (byVersion !== 0n) return byVersion > 0n ? 1 : -1;
  return byTime;
}

function instant(time: string): number {
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? 0 : ms;
}

function version(resourceVersion: string): bigint {
  return /^\d{1,30}$/.test(resourceVersion) ? BigInt(resourceVersion) : 0n;
}
