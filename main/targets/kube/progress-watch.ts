/**
 * Follows an environment's namespace while it deploys: pods, their events and
 * the workloads, through the tracking informers (list + watch, relist on 410,
 * watchdog). Says each pod's step as soon as the API reports it and tells
 * when every workload of the plan is ready.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { ownerWorkload } from '../../tracking/derive-status';
import { Informer, type InformerChange, type InformerHealth } from '../../kube/informer';
import { projectEvent, projectPod, type EventFacts, type PodFacts } from '../../tracking/kube-objects';
import { sayingOf, type ProgressListener, type ReadinessSummary } from '../kinds/target';
import { say } from '../../messages/message';
import { describeKubeError } from '../../kube/api-errors';
import { noteEvent, podProblemSaid, podProgress, type PodEventNotes, type PodProgress } from './pod-progress';
import { objectLabel, readinessSaid, type WorkloadProgress } from './progress-text';
import type { Message } from '../../messages/message';
import { projectRollout, rolloutState, type RolloutFacts } from './rollout';

export interface WatchedWorkload {
  kind: 'Deployment' | 'StatefulSet';
  name: string;
  /** As planned: what "x/N ready" counts to until the controller reports. */
  replicas: number;
}

export interface DeployWatchOptions {
  kc: KubeConfig;
  namespace: string;
  workloads: readonly WatchedWorkload[];
  onProgress: ProgressListener;
}

export interface Readiness extends ReadinessSummary {
  workloads: WorkloadProgress[];
}

export class DeployWatch {
  private readonly pods: Informer<PodFacts>;
  private readonly events: Informer<EventFacts>;
  private readonly workloadInformers: Informer<RolloutFacts>[];
  private readonly notes = new Map<string, PodEventNotes>();
  private readonly said = new Map<string, string>();
  private readonly waiters = new Set<() => void>();
  private readonly failing = new Set<string>();
  /** The resourceVersion each workload had when we applied it: older views of it say nothing about this deploy. */
  private readonly applied = new Map<string, string>();

  constructor(private readonly options: DeployWatchOptions) {
    const ns = encodeURIComponent(options.namespace);
    const common = { kc: options.kc, watchTimeoutSeconds: 120, backoff: { initialMs: 200, maxMs: 5000 } };
    this.pods = new Informer({
      ...common,
      name: `pods in ${options.namespace}`,
      path: `/api/v1/namespaces/${ns}/pods`,
      project: projectPod,
    });
    this.events = new Informer({
      ...common,
      name: `events in ${options.namespace}`,
      path: `/api/v1/namespaces/${ns}/events`,
      project: projectEvent,
    });
    const kinds = [...new Set(options.workloads.map((w) => w.kind))];
    this.workloadInformers = kinds.map(
      (kind) =>
        new Informer({
          ...common,
          name: `${kind}s in ${options.namespace}`,
          path: `/apis/apps/v1/namespaces/${ns}/${kind.toLowerCase()}s`,
          project: projectRollout(kind),
        }),
    );
  }

  start(): void {
    this.pods.onChange((changes) => this.onPods(changes));
    this.events.onChange((changes) => this.onEvents(changes));
    for (const informer of this.workloadInformers) informer.onChange((changes) => this.onWorkloads(changes));
    const named: [string, Informer<PodFacts> | Informer<EventFacts> | Informer<RolloutFacts>][] = [
      ['pods', this.pods],
      ['events', this.events],
      ...this.workloadInformers.map((i): [string, Informer<RolloutFacts>] => ['workloads', i]),
    ];
    for (const [what, informer] of named) {
      informer.onHealth((health) => this.onHealth(what, health));
      informer.start();
    }
  }

  /** Readiness counts a workload only once the watch has seen it at least as new as this (what the apply returned). */
  expect(kind: string, name: string, resourceVersion: string | undefined): void {
    if (resourceVersion !== undefined) this.applied.set(`${kind}/${name}`, resourceVersion);
    this.wake();
  }

  readiness(): Readiness {
    const facts = new Map<string, RolloutFacts>();
    for (const informer of this.workloadInformers) for (const w of informer.objects.values()) facts.set(`${w.kind}/${w.name}`, w);
    const livePods = [...this.pods.objects.values()].filter((p) => !p.deleting);
    const workloads: WorkloadProgress[] = this.options.workloads.map((wanted) => {
      const key = `${wanted.kind}/${wanted.name}`;
      const found = facts.get(key);
      const seen = found !== undefined && atLeast(found.resourceVersion, this.applied.get(key)) ? found : undefined;
      const pods = livePods
        .filter((p) => ownerWorkload(p) === wanted.name)
        .map((p) => podProblemSaid(podProgress(p, this.notes.get(p.name))))
        .filter((line): line is Message => line !== undefined);
      if (seen === undefined) return { kind: wanted.kind, name: wanted.name, ready: 0, desired: wanted.replicas, done: false, pods };
      const state = rolloutState(seen);
      return {
        kind: wanted.kind,
        name: wanted.name,
        ready: seen.ready,
        desired: seen.desired,
        done: state.done,
        ...(state.waiting === undefined ? {} : { waiting: state.waiting }),
        pods,
      };
    });
    const synced = this.workloadInformers.every((i) => i.synced);
    const ready = synced && workloads.every((w) => w.done);
    const said = synced ? readinessSaid(workloads) : say('readiness.notSeen');
    return { ready, text: said.text, said, workloads };
  }

  /** Resolves when every workload is ready, when `timeoutMs` passes, or when `signal` aborts, with the readiness then. */
  waitReady(timeoutMs: number, signal: AbortSignal): Promise<Readiness & { timedOut: boolean }> {
    return new Promise((resolve) => {
      let settled = false;
      const finish = (timedOut: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.waiters.delete(check);
        signal.removeEventListener('abort', onAbort);
        resolve({ ...this.readiness(), timedOut });
      };
      const check = (): void => {
        if (this.readiness().ready) finish(false);
      };
      const onAbort = (): void => finish(false);
      const timer = setTimeout(() => finish(true), timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(check);
      if (signal.aborted) onAbort();
      else check();
    });
  }

  dispose(): void {
    for (const informer of [this.pods, this.events, ...this.workloadInformers]) informer.dispose();
    this.waiters.clear();
  }

  private onPods(changes: InformerChange<PodFacts>[]): void {
    for (const change of changes) {
      const pod = change.object;
      if (change.type === 'deleted') {
        if (this.said.delete(pod.name))
          this.emitPod({ ...podProgress(pod), state: 'gone', ...sayingOf(say('pod.removed', { pod: pod.name })) });
        this.notes.delete(pod.name);
        continue;
      }
      this.consider(pod);
    }
    this.wake();
  }

  private onEvents(changes: InformerChange<EventFacts>[]): void {
    for (const change of changes) {
      if (change.type === 'deleted') continue;
      const name = noteEvent(this.notes, change.object);
      if (name === undefined) continue;
      const pod = [...this.pods.objects.values()].find((p) => p.name === name);
      if (pod !== undefined) this.consider(pod);
    }
  }

  private onWorkloads(changes: InformerChange<RolloutFacts>[]): void {
    for (const change of changes) {
      const w = change.object;
      if (change.type === 'deleted' || !this.options.workloads.some((x) => x.kind === w.kind && x.name === w.name)) continue;
      const key = `${w.kind}/${w.name}`;
      const line = say('deploy.workload', { object: objectLabel(w.kind, w.name), ready: w.ready, desired: w.desired });
      const text = line.text;
      if (this.said.get(key) === text) continue;
      this.said.set(key, text);
      this.options.onProgress({
        type: 'workload',
        kind: w.kind,
        name: w.name,
        ...(w.component === undefined ? {} : { component: w.component }),
        ready: w.ready,
        desired: w.desired,
        ...sayingOf(line),
        at: new Date().toISOString(),
      });
    }
    this.wake();
  }

  private consider(pod: PodFacts): void {
    if (pod.deleting) return;
    const progress = podProgress(pod, this.notes.get(pod.name));
    const key = `${progress.state}|${progress.reason ?? ''}|${progress.message ?? ''}`;
    if (this.said.get(pod.name) === key) return;
    this.said.set(pod.name, key);
    this.emitPod(progress);
  }

  private emitPod(progress: PodProgress): void {
    this.options.onProgress({
      type: 'pod',
      name: progress.name,
      state: progress.state,
      ...(progress.component === undefined ? {} : { component: progress.component }),
      ...(progress.reason === undefined ? {} : { reason: progress.reason }),
      ...(progress.message === undefined ? {} : { message: progress.message }),
      ...(progress.node === undefined ? {} : { node: progress.node }),
      ...sayingOf(progress.said),
      at: new Date().toISOString(),
    });
  }

  private onHealth(what: string, health: InformerHealth): void {
    if (health.state === 'live') {
      this.failing.delete(what);
      return;
    }
    if (health.state !== 'failing' || this.failing.has(what)) return;
    this.failing.add(what);
    const why = describeKubeError(health.error, { object: `watching ${what} in ${this.options.namespace}` }).message;
    this.options.onProgress({
      type: 'phase',
      phase: 'waiting',
      ...sayingOf(say('deploy.watchRetrying', { problem: why })),
      at: new Date().toISOString(),
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** resourceVersions are opaque, but etcd's are integers: compare those; anything else counts once it differs from nothing. */
function atLeast(seen: string, wanted: string | undefined): boolean {
  if (wanted === undefined) return true;
  if (/^\d+$/.test(seen) && /^\d+$/.test(wanted)) return BigInt(seen) >= BigInt(wanted);
  return seen === wanted;
}
