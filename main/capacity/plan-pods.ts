/**
 * A Plan's pod demands (one entry per workload, with its replica count)
 * expanded into the individual pods the scheduler will see.
 */
import type { V1PodSpec } from '@kubernetes/client-node';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { PodToPlace } from './placement-state';

/**
 * The shape main/render's Plan exposes as `pods`. The renderer types specs with
 * kubernetes-models, the capacity engine with the official client: the two
 * describe the same JSON, so either is accepted.
 */
export interface PlanPod {
  component: string;
  name: string;
  replicas: number;
  /** Pods the component starts at run time (JupyterHub user servers), not the plan itself. */
  spawned?: boolean;
  spec: V1PodSpec | IPodSpec;
}

/** One PodToPlace per replica, named `<name>-0`, `<name>-1`… (just `<name>` for a single replica). */
export function podsFromPlan(pods: readonly PlanPod[]): PodToPlace[] {
  const out: PodToPlace[] = [];
  for (const pod of pods) {
    const group = `${pod.component}/${pod.name}`;
    const replicas = Math.max(0, Math.floor(pod.replicas));
    const spec = pod.spec as V1PodSpec;
    for (let index = 0; index < replicas; index += 1) {
      const placed: PodToPlace = {
        component: pod.component,
        name: replicas === 1 ? pod.name : `${pod.name}-${index}`,
        workload: pod.name,
        spec,
        spreadGroup: group,
      };
      if (pod.spawned) placed.spawned = true;
      out.push(placed);
    }
  }
  return out;
}
