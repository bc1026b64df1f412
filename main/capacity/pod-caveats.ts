/**
 * Parts of a pod spec the prediction does not model, said plainly so a
 * "fits" is never claimed with more certainty than it has.
 */
import type { V1PodSpec } from '@kubernetes/client-node';

export function podCaveats(spec: V1PodSpec): string[] {
  const caveats: string[] = [];
  if (spec.nodeName) caveats.push(`the pod names its node (${spec.nodeName}) and skips the scheduler`);
  if (spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length)
    caveats.push('required pod affinity is not checked');
  if (spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length)
    caveats.push('required pod anti-affinity is not checked');
  if (spec.topologySpreadConstraints?.some((constraint) => constraint.whenUnsatisfiable === 'DoNotSchedule')) {
    caveats.push('hard topology spread constraints are not checked');
  }
  const ports = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].flatMap((container) => container.ports ?? []);
  if (ports.some((port) => port.hostPort !== undefined && port.hostPort !== 0)) caveats.push('host ports are not checked for conflicts');
  if (spec.volumes?.some((volume) => volume.persistentVolumeClaim || volume.ephemeral)) {
    caveats.push('persistent volumes are assumed to bind (storage class and zone are not checked)');
  }
  if (spec.runtimeClassName && !spec.overhead) caveats.push(`the overhead of runtime class ${spec.runtimeClassName} is not known`);
  if (spec.priorityClassName) caveats.push(`priority class ${spec.priorityClassName}: scheduling order and preemption are not modelled`);
  if (spec.schedulingGates?.length) caveats.push('the pod has scheduling gates and waits until they are removed');
  if (spec.resourceClaims?.length) caveats.push('dynamic resource claims are not checked');
  return caveats;
}
