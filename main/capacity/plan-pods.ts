/**
 * A Plan's pod demands (one entry per workload, with its replica count)
 * expanded into the individual pods the scheduler will see.
 */
import type { V1PodSpec } from '@kubernetes/client-node';
import type { PodToPlace } from './placement-state';

/** The shape main/render's Plan exposes as `pods`. */
export interface PlanPod {
  component: string;
  name: string;
  replicas: number;
  spec: V1PodSpec;
}

/** One PodToPlace per replica, named `<name>-0`, `<name>-1`… (just `<name>` for a single replica). */
export function podsFromPlan(pods: readonly PlanPod[]): PodToPlace[] {
  const out: PodToPlace[] = [];
  for (const pod of pods) {
    const group = `${pod.component}/${pod.name}`;
    const replicas = Math.max(0, Math.floor(pod.replicas));
    for (let index = 0; index < replicas; index += 1) {
      out.push({ component: pod.component, name: replicas === 1 ? pod.name : `${pod.name}-${index}`, spec: pod.spec, spreadGroup: group });
    }
  }
  return out;
}
