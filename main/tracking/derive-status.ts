/**
 * An environment's status from what its cluster shows, in plain words that
 * name the pod and the reason. Pure: the same facts always give the same
 * answer, so every rule has a unit test.
 */
import type { ClusterHealth, NamespaceFactsSet } from './cluster-watch';
import type { PodFacts, WorkloadFacts } from './kube-objects';
import type { EnvironmentRecord, StatusPhase } from '../inventory/record';
import { driftSaid, type DriftItem } from './drift';
import { say, type Message } from '../messages/message';
import { clusterOf } from '../targets/kinds/cluster-of';

/** A pod that disappeared from a cordoned node (drained / evicted), remembered to explain its replacement. */
export interface Eviction {
  pod: string;
  node: string;
  owner?: string;
  at: number;
}

export interface KubeStatusInput {
  record: Pick<EnvironmentRecord, 'operations' | 'objects' | 'status' | 'target'>;
  facts: NamespaceFactsSet;
  cluster: ClusterHealth;
  evictions?: readonly Eviction[];
  /** What was changed outside the app since the last operation (drift-check.ts). */
  drift?: readonly DriftItem[];
}

export interface DerivedStatus {
  phase: StatusPhase;
  /** In English (afp status, logs); `said` is the same in the user's language. */
  message?: string;
  said?: Message;
  /** Overrides when the phase began (ms). */
  since?: number;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet']);

function status(phase: StatusPhase, said: Message, since?: number): DerivedStatus {
  return { phase, message: said.text, said, ...(since === undefined ? {} : { since }) };
}

/** undefined: nothing to say yet (the watches have not listed). */
export function deriveKubeStatus(input: KubeStatusInput): DerivedStatus | undefined {
  const { record, facts, cluster } = input;
  const namespace = clusterOf(record.target)?.namespace ?? '';
  const last = record.operations.at(-1);
  const running = last?.outcome === 'running' ? last : undefined;

  // A deploy that failed or was cancelled before anything was created has nothing to look at: say why it failed, whether or not the cluster answers.
  const nothingApplied =
    !record.objects.some((o) => o.state === 'applied') && (!facts.synced || (facts.pods.length === 0 && facts.workloads.length === 0));
  if (last?.kind === 'deploy' && (last.outcome === 'failed' || last.outcome === 'cancelled') && nothingApplied) {
    const failed = last.outcome === 'failed';
    const said =
      last.message === undefined
        ? say(failed ? 'status.failedNothing' : 'status.cancelledNothing')
        : say(failed ? 'status.failedNothingWhy' : 'status.cancelledNothingWhy', { why: last.said ?? last.message });
    return status(failed ? 'Failed' : 'Cancelled', said);
  }
  if (!cluster.reachable) {
    const since = cluster.since ?? Date.now();
    const at = new Date(since).toISOString();
    const said =
      cluster.error === undefined
        ? say('status.unreachable', { since: at })
        : say('status.unreachableWhy', { since: at, why: cluster.error.said ?? cluster.error.message });
    return status('Unknown', said, since);
  }
  if (!facts.synced) return undefined;

  const deletingByUs = running?.kind === 'delete' || (last?.kind === 'delete' && last.outcome === 'succeeded');
  if (facts.namespaceWatched && facts.namespace === undefined) {
    if (deletingByUs) return status('Deleted', say('status.namespaceGone', { namespace }));
    if (running !== undefined) return status('Deploying', say('status.creatingNamespace', { namespace }));
    return status('Gone', say('status.goneOutside', { namespace }));
  }
  if (facts.namespace?.deleting === true || facts.namespace?.phase === 'Terminating') {
    return deletingByUs
      ? status('Deleting', say('status.deletingNamespace', { namespace }))
      : status('Deleting', say('status.deletingOutside', { namespace }));
  }
  if (running?.kind === 'delete') return status('Deleting', say('status.deleting', { namespace }));

  const problems = findProblemsSaid(input);
  const pods = facts.pods.filter((p) => !p.deleting);
  const readyPods = pods.filter((p) => p.ready).length;
  const progress = say('status.podsReady', { ready: readyPods, total: pods.length });
  const first = problems[0];
  const summary =
    first === undefined ? undefined : problems.length > 1 ? say('status.andMore', { problem: first, count: problems.length - 1 }) : first;

  if (running !== undefined) return status('Deploying', summary ?? progress);
  const drift = input.drift ?? [];
  const firstDrift = drift[0];
  if (firstDrift !== undefined) {
    const change = driftSaid(firstDrift);
    return status(
      'Drifted',
      drift.length > 1 ? say('status.driftedMore', { change, count: drift.length - 1 }) : say('status.drifted', { change }),
    );
  }
  if (first === undefined) return status('Ready', readyMessage(pods, progress));
  if (last?.outcome === 'failed') {
    const failure = last.said ?? last.message ?? say(`status.lastFailed.${last.kind}`);
    return status('Failed', say('status.failedNow', { failure, now: summary ?? progress }));
  }
  if (last?.outcome === 'interrupted') {
    const interrupted = say(`status.interrupted.${last.kind}`);
    return status('Degraded', summary === undefined ? interrupted : say('status.interruptedNow', { interrupted, now: summary }));
  }
  return status('Degraded', summary ?? progress);
}

/**
 * Every workload is ready; pods outside them (a JupyterHub user's server
 * KubeSpawner starts) may still be starting, which is no reason to doubt the
 * environment, but is named so "7/27 pods ready" does not read as a fault.
 */
function readyMessage(pods: readonly PodFacts[], progress: Message): Message {
  const starting = pods.filter((p) => !p.ready).map((p) => p.name);
  if (starting.length === 0) return progress;
  const shown = starting.slice(0, 3).join(', ');
  return starting.length > 3
    ? say('status.podsStartingMore', { progress, pods: shown, more: starting.length - 3 })
    : say('status.podsStarting', { progress, pods: shown });
}

/** Everything wrong, worst first, one sentence each. */
export function findProblemsSaid(input: KubeStatusInput): Message[] {
  const { facts, record } = input;
  const pods = facts.pods.filter((p) => !p.deleting);
  const severe: Message[] = [];
  const mild: Message[] = [];
  const explained = new Set<string>();
  for (const pod of pods) {
    const problem = podProblemSaid(pod, input.evictions ?? []);
    if (problem === undefined) continue;
    severe.push(say('status.podProblem', { pod: pod.name, problem }));
    if (pod.owner !== undefined) explained.add(ownerWorkload(pod));
  }
  const present = new Set(facts.workloads.map((w) => `${w.kind}/${w.name}`));
  for (const object of record.objects) {
    if (!WORKLOAD_KINDS.has(object.kind) || object.state !== 'applied' || present.has(`${object.kind}/${object.name}`)) continue;
    severe.push(say('status.workloadMissing', { object: `${object.kind} ${object.name}` }));
  }
  for (const workload of facts.workloads) {
    const object = `${workload.kind} ${workload.name}`;
    if (workload.stalled !== undefined) severe.push(say('status.workloadStalled', { object, why: workload.stalled }));
    else if (!workloadReady(workload) && !explained.has(workload.name))
      mild.push(say('status.workloadNotReady', { object, ready: workload.ready, desired: workload.desired }));
  }
  return [...severe, ...mild];
}

export function findProblems(input: KubeStatusInput): string[] {
  return findProblemsSaid(input).map((problem) => problem.text);
}

export function workloadReady(workload: WorkloadFacts): boolean {
  return workload.ready >= workload.desired && workload.available >= workload.desired && workload.upToDate;
}

/** The plain-words reason a pod is not fine (without its name), or undefined when it is. */
export function podProblemSaid(pod: PodFacts, evictions: readonly Eviction[]): Message | undefined {
  const container = pod.problems[0];
  if (container !== undefined) {
    const again = pod.restarts > 0 ? say('podReason.restarted', { count: pod.restarts }) : '';
    const detail = container.message === undefined ? '' : ` — ${container.message}`;
    return say('status.containerProblem', { reason: container.reason, detail, again });
  }
  if (pod.phase === 'Failed')
    return say('status.podFailed', {
      reason: pod.reason === undefined ? '' : `: ${pod.reason}`,
      detail: pod.message === undefined ? '' : ` — ${pod.message}`,
    });
  if (pod.unschedulable !== undefined) {
    const eviction = evictions.find((e) => pod.owner !== undefined && e.owner === ownerWorkload(pod));
    return eviction === undefined
      ? say('status.cannotSchedule', { why: pod.unschedulable })
      : say('status.cannotScheduleEvicted', { why: pod.unschedulable, evicted: eviction.pod, node: eviction.node });
  }
  return undefined;
}

export function podProblem(pod: PodFacts, evictions: readonly Eviction[]): string | undefined {
  return podProblemSaid(pod, evictions)?.text;
}

/** Deployment pods are owned by a ReplicaSet named `<deployment>-<hash>`; StatefulSet pods by the set itself. */
export function ownerWorkload(pod: PodFacts): string {
  if (pod.owner === undefined) return pod.name;
  return pod.owner.kind === 'ReplicaSet' ? pod.owner.name.replace(/-[a-z0-9]+$/, '') : pod.owner.name;
}
