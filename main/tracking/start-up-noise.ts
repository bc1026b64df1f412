/**
 * A container that takes a few seconds to listen fails its first readiness
 * (or start-up) probes: the kubelet reports each as a Warning "Unhealthy"
 * event. Once the pod is Ready those warnings only alarm a physicist looking
 * at a healthy environment, so they are left out when the pod became Ready
 * after the last of them. A probe failing after that (a flapping pod) stays.
 */
import type { EventFacts, PodFacts } from './kube-objects';

const START_UP_PROBE = /^(Readiness|Startup) probe failed/;

export function withoutStartUpNoise(events: readonly EventFacts[], pods: readonly PodFacts[]): EventFacts[] {
  const readySince = new Map<string, number>();
  for (const pod of pods) if (pod.readySince !== undefined) readySince.set(pod.name, Date.parse(pod.readySince));
  return events.filter((event) => {
    if (event.object.kind !== 'Pod' || event.reason !== 'Unhealthy' || !START_UP_PROBE.test(event.message)) return true;
    const since = readySince.get(event.object.name);
    const last = Date.parse(event.lastSeen);
    return since === undefined || Number.isNaN(since) || Number.isNaN(last) || last > since;
  });
}
