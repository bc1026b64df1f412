/**
 * Progress in plain words: what a pod is waiting for, why it cannot start,
 * what is still missing when time runs out. Each phrase is a message (an id
 * and parameters, main/messages) so the Deploy page says it in the user's
 * language; the `…Text` forms are its English, for the CLI. Pure, so each
 * phrase is tested.
 */
import { say, sayList, type Message, type MessageId } from '../../messages/message';
import type { PodState } from '../kinds/target';

export function objectLabel(kind: string, name: string): string {
  return `${kind} ${name}`;
}

const REASONS: Record<string, MessageId> = {
  ErrImagePull: 'podReason.errImagePull',
  ImagePullBackOff: 'podReason.imagePullBackOff',
  InvalidImageName: 'podReason.invalidImageName',
  CrashLoopBackOff: 'podReason.crashLoopBackOff',
  CreateContainerConfigError: 'podReason.createContainerConfigError',
  CreateContainerError: 'podReason.createContainerError',
  OOMKilled: 'podReason.oomKilled',
  Error: 'podReason.error',
};

/** A container's waiting (or terminated) reason as a physicist would want to read it; Kubernetes' own message stays as it is. */
export function reasonSaid(reason: string, message?: string, restarts = 0): Message {
  const detail = message === undefined || message === '' ? '' : `: ${message}`;
  const again = restarts > 0 ? say('podReason.restarted', { count: restarts }) : '';
  const id = REASONS[reason];
  return id === undefined ? say('podReason.other', { reason, detail, again }) : say(id, { detail, again });
}

export function reasonText(reason: string, message?: string, restarts = 0): string {
  return reasonSaid(reason, message, restarts).text;
}

/** One line per pod state change, e.g. "worker-6d9-x2x: cannot be scheduled: 0/6 nodes are available: …". */
export function podSaid(
  name: string,
  state: PodState,
  detail: { reason?: string; message?: string; node?: string; restarts?: number } = {},
): Message {
  const pod = name;
  switch (state) {
    case 'pending':
      return say('pod.pending', { pod });
    case 'unschedulable':
      return say('pod.unschedulable', { pod, why: detail.message ?? say('pod.noNodeFits') });
    case 'scheduled':
      return detail.node === undefined ? say('pod.scheduled', { pod }) : say('pod.scheduledOn', { pod, node: detail.node });
    case 'pulling':
      return detail.message === undefined ? say('pod.pulling', { pod }) : say('pod.pullingWhat', { pod, detail: detail.message });
    case 'running':
      return say('pod.running', { pod });
    case 'ready':
      return say('pod.ready', { pod });
    case 'waiting':
      return say('pod.waiting', { pod, reason: reasonSaid(detail.reason ?? 'Waiting', detail.message, detail.restarts) });
    case 'failed':
      return detail.reason === undefined
        ? say('pod.failed', { pod })
        : say('pod.failedWhy', { pod, reason: reasonSaid(detail.reason, detail.message, detail.restarts) });
    case 'gone':
      return say('pod.removed', { pod });
  }
}

export function podText(name: string, state: PodState, detail: Parameters<typeof podSaid>[2] = {}): string {
  return podSaid(name, state, detail).text;
}

export interface WorkloadProgress {
  kind: string;
  name: string;
  ready: number;
  desired: number;
  /** Rolled out and every replica ready (rollout.ts). */
  done: boolean;
  /** What it still waits for, e.g. "1 old pod stopping". */
  waiting?: Message;
  /** Lines about this workload's pods that are not fine, e.g. "worker-x: Pending: 0/6 nodes are available: …". */
  pods: Message[];
}

/** "all 5 workloads ready" ("both…", "1 workload…") or "worker: 2/7 ready; worker-x: Pending: 0/6 nodes are available: …". */
export function readinessSaid(workloads: readonly WorkloadProgress[]): Message {
  const missing = workloads.filter((w) => !w.done);
  if (missing.length === 0)
    return workloads.length === 1
      ? say('readiness.one')
      : workloads.length === 2
        ? say('readiness.both')
        : say('readiness.all', { count: workloads.length });
  const lines = missing.flatMap((w) => [
    w.waiting === undefined
      ? say('readiness.workload', { name: w.name, ready: w.ready, desired: w.desired })
      : say('readiness.workloadWaiting', { name: w.name, ready: w.ready, desired: w.desired, waiting: w.waiting }),
    ...w.pods,
  ]);
  return sayList(lines, 'semicolon') ?? say('readiness.notSeen');
}

export function readinessText(workloads: readonly WorkloadProgress[]): string {
  return readinessSaid(workloads).text;
}
