/**
 * Progress in plain words: what a pod is waiting for, why it cannot start,
 * what is still missing when time runs out. Pure, so each phrase is tested.
 */
import type { PodState } from '../kinds/target';

export function objectLabel(kind: string, name: string): string {
  return `${kind} ${name}`;
}

/** A container's waiting (or terminated) reason as a physicist would want to read it. */
export function reasonText(reason: string, message?: string, restarts = 0): string {
  const detail = message === undefined || message === '' ? '' : `: ${message}`;
  const again = restarts > 0 ? ` (restarted ${restarts} time${restarts === 1 ? '' : 's'})` : '';
  switch (reason) {
    case 'ErrImagePull':
      return `cannot pull its image${detail}`;
    case 'ImagePullBackOff':
      return `cannot pull its image; Kubernetes keeps retrying with back-off${detail}`;
    case 'InvalidImageName':
      return `its image name is not valid${detail}`;
    case 'CrashLoopBackOff':
      return `keeps crashing${again}; Kubernetes waits longer before each restart${detail}`;
    case 'CreateContainerConfigError':
      return `its container settings cannot be used (a missing Secret or ConfigMap key?)${detail}`;
    case 'CreateContainerError':
      return `its container could not be created${detail}`;
    case 'OOMKilled':
      return `ran out of memory and was stopped${again}`;
    case 'Error':
      return `exited with an error${again}${detail}`;
    default:
      return `${reason}${detail}${again}`;
  }
}

/** One line per pod state change, e.g. "worker-6d9-x2x: cannot be scheduled: 0/6 nodes are available: …". */
export function podText(
  name: string,
  state: PodState,
  detail: { reason?: string; message?: string; node?: string; restarts?: number } = {},
): string {
  switch (state) {
    case 'pending':
      return `${name}: waiting to be scheduled`;
    case 'unschedulable':
      return `${name}: cannot be scheduled: ${detail.message ?? 'no node fits'}`;
    case 'scheduled':
      return `${name}: scheduled${detail.node === undefined ? '' : ` on ${detail.node}`}`;
    case 'pulling':
      return `${name}: pulling its image${detail.message === undefined ? '' : ` (${detail.message})`}`;
    case 'running':
      return `${name}: running, not ready yet`;
    case 'ready':
      return `${name}: ready`;
    case 'waiting':
      return `${name}: ${reasonText(detail.reason ?? 'Waiting', detail.message, detail.restarts)}`;
    case 'failed':
      return `${name}: failed${detail.reason === undefined ? '' : `: ${reasonText(detail.reason, detail.message, detail.restarts)}`}`;
    case 'gone':
      return `${name}: removed`;
  }
}

export interface WorkloadProgress {
  kind: string;
  name: string;
  ready: number;
  desired: number;
  /** Rolled out and every replica ready (rollout.ts). */
  done: boolean;
  /** What it still waits for, e.g. "1 old pod stopping". */
  waiting?: string;
  /** Lines about this workload's pods that are not fine, e.g. "worker-x: Pending: 0/6 nodes are available: …". */
  pods: string[];
}

/** "all 5 workloads ready" ("both…", "1 workload…") or "worker: 2/7 ready; worker-x: Pending: 0/6 nodes are available: …". */
export function readinessText(workloads: readonly WorkloadProgress[]): string {
  const missing = workloads.filter((w) => !w.done);
  if (missing.length === 0)
    return workloads.length === 1
      ? '1 workload ready'
      : workloads.length === 2
        ? 'both workloads ready'
        : `all ${workloads.length} workloads ready`;
  return missing
    .map((w) => [`${w.name}: ${w.ready}/${w.desired} ready${w.waiting === undefined ? '' : ` (${w.waiting})`}`, ...w.pods].join('; '))
    .join('; ');
}
