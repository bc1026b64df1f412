/**
 * An environment's status from what its cluster shows, in plain words that
 * name the pod and the reason. Pure: the same facts always give the same
 * answer, so every rule has a unit test.
 */
import type { ClusterHealth, NamespaceFactsSet } from './cluster-watch';
import type { PodFacts, WorkloadFacts } from './kube-objects';
import type { EnvironmentRecord, StatusPhase } from '../inventory/record';
import { driftText, type DriftItem } from './drift';
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
  message?: string;
  /** Overrides when the phase began (ms). */
  since?: number;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet']);

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
    const what = last.outcome === 'failed' ? 'Deploy failed' : 'Deploy cancelled';
    return {
      phase: last.outcome === 'failed' ? 'Failed' : 'Cancelled',
      message: `${what} before anything was created${last.message === undefined ? '.' : `: ${last.message}`}`,
    };
  }
  if (!cluster.reachable) {
    const since = cluster.since ?? Date.now();
    const why = cluster.error === undefined ? '' : `: ${cluster.error.message}`;
    return { phase: 'Unknown', message: `Cluster unreachable since ${new Date(since).toISOString()}${why}`, since };
  }
  if (!facts.synced) return undefined;

  const deletingByUs = running?.kind === 'delete' || (last?.kind === 'delete' && last.outcome === 'succeeded');
  if (facts.namespaceWatched && facts.namespace === undefined) {
    if (deletingByUs) return { phase: 'Deleted', message: `Namespace ${namespace} is gone.` };
    if (running !== undefined) return { phase: 'Deploying', message: `Creating namespace ${namespace}…` };
    return { phase: 'Gone', message: `Namespace ${namespace} was deleted outside the app.` };
  }
  if (facts.namespace?.deleting === true || facts.namespace?.phase === 'Terminating') {
    return deletingByUs
      ? { phase: 'Deleting', message: `Deleting namespace ${namespace}…` }
      : { phase: 'Deleting', message: `Namespace ${namespace} is being deleted outside the app.` };
  }
  if (running?.kind === 'delete') return { phase: 'Deleting', message: `Deleting ${namespace}…` };

  const problems = findProblems(input);
  const pods = facts.pods.filter((p) => !p.deleting);
  const readyPods = pods.filter((p) => p.ready).length;
  const progress = `${readyPods}/${pods.length} pods ready`;
  const summary = problems.length === 0 ? undefined : `${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`;

  if (running !== undefined) return { phase: 'Deploying', message: summary ?? progress };
  const drift = input.drift ?? [];
  if (drift.length > 0) {
    const more = drift.length > 1 ? ` (and ${drift.length - 1} more change${drift.length > 2 ? 's' : ''})` : '';
    return { phase: 'Drifted', message: `Changed outside the app: ${driftText(drift[0]!)}${more}. Restore re-applies the recorded plan.` };
  }
  if (problems.length === 0) return { phase: 'Ready', message: readyMessage(pods, progress) };
  if (last?.outcome === 'failed')
    return { phase: 'Failed', message: `${last.message ?? `The last ${last.kind} failed.`} Now: ${summary ?? progress}` };
  if (last?.outcome === 'interrupted')
    return { phase: 'Degraded', message: `The last ${last.kind} was interrupted; resume it. ${summary ?? ''}`.trim() };
  return { phase: 'Degraded', message: summary ?? progress };
}

/**
 * Every workload is ready; pods outside them (a JupyterHub user's server
 * KubeSpawner starts) may still be starting, which is no reason to doubt the
 * environment, but is named so "7/27 pods ready" does not read as a fault.
 */
function readyMessage(pods: readonly PodFacts[], progress: string): string {
  const starting = pods.filter((p) => !p.ready).map((p) => p.name);
  if (starting.length === 0) return progress;
  const shown = starting.slice(0, 3).join(', ');
  return `${progress}; starting: ${shown}${starting.length > 3 ? ` and ${starting.length - 3} more` : ''}`;
}

/** Everything wrong, worst first, one sentence each. */
export function findProblems(input: KubeStatusInput): string[] {
  const { facts, record } = input;
  const pods = facts.pods.filter((p) => !p.deleting);
  const severe: string[] = [];
  const mild: string[] = [];
  const explained = new Set<string>();
  for (const pod of pods) {
    const reason = podProblem(pod, input.evictions ?? []);
    if (reason === undefined) continue;
    severe.push(`${pod.name}: ${reason}`);
    if (pod.owner !== undefined) explained.add(ownerWorkload(pod));
  }
  const present = new Set(facts.workloads.map((w) => `${w.kind}/${w.name}`));
  for (const object of record.objects) {
    if (!WORKLOAD_KINDS.has(object.kind) || object.state !== 'applied' || present.has(`${object.kind}/${object.name}`)) continue;
    severe.push(`${object.kind} ${object.name} is missing (deleted outside the app).`);
  }
  for (const workload of facts.workloads) {
    if (workload.stalled !== undefined) severe.push(`${workload.kind} ${workload.name}: ${workload.stalled}`);
    else if (!workloadReady(workload) && !explained.has(workload.name))
      mild.push(`${workload.kind} ${workload.name}: ${workload.ready}/${workload.desired} ready.`);
  }
  return [...severe, ...mild];
}

export function workloadReady(workload: WorkloadFacts): boolean {
  return workload.ready >= workload.desired && workload.available >= workload.desired && workload.upToDate;
}

/** The plain-words reason a pod is not fine (without its name), or undefined when it is. */
export function podProblem(pod: PodFacts, evictions: readonly Eviction[]): string | undefined {
  const container = pod.problems[0];
  if (container !== undefined) {
    const restarts = pod.restarts > 0 ? ` (restarted ${pod.restarts} time${pod.restarts === 1 ? '' : 's'})` : '';
    return `${container.reason}${container.message === undefined ? '' : ` — ${container.message}`}${restarts}.`;
  }
  if (pod.phase === 'Failed')
    return `failed${pod.reason === undefined ? '' : `: ${pod.reason}`}${pod.message === undefined ? '' : ` — ${pod.message}`}.`;
  if (pod.unschedulable !== undefined) {
    const eviction = evictions.find((e) => pod.owner !== undefined && e.owner === ownerWorkload(pod));
    const note = eviction === undefined ? '' : ` It replaces ${eviction.pod}, evicted from node ${eviction.node}, which is cordoned.`;
    return `cannot be scheduled: ${pod.unschedulable}${note}`;
  }
  return undefined;
}

/** Deployment pods are owned by a ReplicaSet named `<deployment>-<hash>`; StatefulSet pods by the set itself. */
export function ownerWorkload(pod: PodFacts): string {
  if (pod.owner === undefined) return pod.name;
  return pod.owner.kind === 'ReplicaSet' ? pod.owner.name.replace(/-[a-z0-9]+$/, '') : pod.owner.name;
}
