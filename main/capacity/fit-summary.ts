/**
 * What a fit report comes to, counted once for every reader: the Configure
 * page, `afp fit` and its JSON all show these numbers, so the GUI and the CLI
 * can never count a plan's pods differently (they did: the page left out the
 * users' servers). Also the verdict in plain words' parts: which workloads
 * will not start and what runs out, and which pending pod overflows which node.
 */
import type { FitReport, PodFit } from './fit';
import type { Message } from '../messages/message';
import { formatAmount } from './format';
import { addInto, CPU, MEMORY, PODS, type ResourceList } from './resources';

/** A pending pod that no node accepts at all (cordon, taint, selector), not for lack of room. */
export const PLACEMENT = 'placement';

export interface PendingGroup {
  component: string;
  workload: string;
  /** Users' servers, started when users sign in rather than at deploy. */
  spawned: boolean;
  pods: string[];
  /** What runs out on the node that came closest (`cpu`, `memory`, `pods`…), or [`placement`]. */
  short: string[];
  /** kube-scheduler's message, word for word (the first pod's; replicas share it). */
  message: string;
  hint?: string;
  /** The hint as messages, for the user's language. */
  hints?: Message[];
}

export interface WorkloadRequest {
  component: string;
  /** `worker`, `jupyter-user` (a hub's users' servers)… */
  workload: string;
  pods: number;
  spawned: number;
  cpu: number;
  memory: number;
}

export interface FitSummary {
  /** Every pod of the plan, the users' servers included. */
  pods: number;
  pending: number;
  /** Of `pods`: the users' servers (started when users sign in). */
  spawned: number;
  spawnedPending: number;
  /** What the whole plan requests: cpu in millicores, memory in bytes. */
  request: { cpu: number; memory: number };
  byWorkload: WorkloadRequest[];
  pendingGroups: PendingGroup[];
  /** Union of the groups' `short`: what runs out. */
  binding: string[];
}

function shortOf(pod: PodFit): string[] {
  return pod.closest === undefined || pod.closest.short.length === 0 ? [PLACEMENT] : pod.closest.short;
}

/** What runs out for the report's pending pods (empty when all fit). */
export function bindingResources(report: FitReport): string[] {
  const binding = new Set<string>();
  for (const pod of report.perPod) if (!pod.fits) for (const name of shortOf(pod)) binding.add(name);
  return [...binding];
}

export function fitSummary(report: FitReport): FitSummary {
  const byWorkload = new Map<string, WorkloadRequest>();
  const groups = new Map<string, PendingGroup>();
  const request: ResourceList = {};
  for (const pod of report.perPod) {
    const workload = `${pod.component}/${pod.workload}`;
    const entry = byWorkload.get(workload) ?? { component: pod.component, workload: pod.workload, pods: 0, spawned: 0, cpu: 0, memory: 0 };
    entry.pods += 1;
    if (pod.spawned === true) entry.spawned += 1;
    entry.cpu += pod.request[CPU] ?? 0;
    entry.memory += pod.request[MEMORY] ?? 0;
    byWorkload.set(workload, entry);
    addInto(request, pod.request);
    if (pod.fits) continue;
    const short = shortOf(pod);
    const key = `${pod.component}\n${pod.workload}\n${short.join(',')}`;
    const group = groups.get(key) ?? {
      component: pod.component,
      workload: pod.workload,
      spawned: pod.spawned === true,
      pods: [],
      short,
      message: pod.message ?? '',
      ...(pod.hint === undefined ? {} : { hint: pod.hint }),
      ...(pod.hints === undefined ? {} : { hints: pod.hints }),
    };
    group.pods.push(pod.pod);
    groups.set(key, group);
  }
  const spawned = report.perPod.filter((pod) => pod.spawned === true);
  return {
    pods: report.perPod.length,
    pending: report.perPod.filter((pod) => !pod.fits).length,
    spawned: spawned.length,
    spawnedPending: spawned.filter((pod) => !pod.fits).length,
    request: { cpu: request[CPU] ?? 0, memory: request[MEMORY] ?? 0 },
    byWorkload: [...byWorkload.values()],
    pendingGroups: [...groups.values()],
    binding: bindingResources(report),
  };
}

/** Each node's pending overflow: what the pods that came closest to fitting there would have asked of it. */
export function overflowByNode(report: FitReport): Map<string, { request: ResourceList; pods: { pod: string; short: string[] }[] }> {
  const byNode = new Map<string, { request: ResourceList; pods: { pod: string; short: string[] }[] }>();
  for (const pod of report.perPod) {
    if (pod.fits || pod.closest === undefined) continue;
    const entry = byNode.get(pod.closest.node) ?? { request: { [PODS]: 0 }, pods: [] };
    addInto(entry.request, pod.request);
    entry.pods.push({ pod: pod.pod, short: pod.closest.short });
    byNode.set(pod.closest.node, entry);
  }
  return byNode;
}

const RESOURCE_WORDS: Record<string, string> = { [CPU]: 'CPU', [MEMORY]: 'memory' };

/** "not enough CPU or memory on any node", for the CLI (the renderer says it in the user's language). */
export function whyPendingText(short: readonly string[]): string {
  if (short.length === 1 && short[0] === PLACEMENT) return 'no node accepts it (cordoned, tainted, or not matching its node selector)';
  const slots = short.includes(PODS);
  const resources = short.filter((name) => name !== PODS && name !== PLACEMENT).map((name) => RESOURCE_WORDS[name] ?? name);
  const parts: string[] = [];
  if (resources.length > 0) parts.push(`not enough ${resources.join(' or ')} on any node`);
  if (slots) parts.push('no node takes more pods');
  return parts.join('; ');
}

/** The verdict's plain sentence, in English, for the terminal. */
export function verdictText(summary: FitSummary): string {
  const users = summary.spawned > 0 ? `, ${summary.spawned} of them users' servers` : '';
  if (summary.pending === 0) return `Fits: every pod has a node (${summary.pods} pods${users}).`;
  const count = (n: number, workload: string): string => `${n} ${workload} pod${n === 1 ? '' : 's'}`;
  const groups = summary.pendingGroups;
  const who =
    groups.length === 1 && groups[0] !== undefined
      ? count(groups[0].pods.length, groups[0].workload)
      : `${summary.pending} pods (${groups.map((group) => `${group.pods.length} ${group.workload}`).join(', ')})`;
  return `${who} of ${summary.pods} will not start: ${whyPendingText(summary.binding)}.`;
}

/** "22 vCPU / 44 GiB in all" for the terminal. */
export function totalsText(summary: FitSummary): string {
  return `The plan requests ${formatAmount(CPU, summary.request.cpu)} vCPU / ${formatAmount(MEMORY, summary.request.memory)} in all (${summary.pods} pods).`;
}
