/**
 * The kube target: a Plan applied wave by wave with server-side apply over one
 * kept connection, objects of a wave in parallel (bounded), members of the
 * ApplySet that left the plan pruned, pods followed to ready. Cancelling stops
 * between requests: what was sent is awaited, so every object ends known.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { ApiException } from '@kubernetes/client-node';
import { messageFields, toApiError } from '../../errors';
import { say, type Message } from '../../messages/message';
import { APPLYSET_GROUP_KINDS } from '../../render/applyset';
import type { KubeObject, Plan } from '../../render/types';
import type { SessionTokenSource } from '../../kube/session-auth';
import type {
  ApplyOptions,
  ApplyResult,
  ExistingEnvironment,
  ObjectOutcome,
  ProgressEvent,
  ProgressListener,
  RemoveOptions,
  RemoveRequest,
  RemoveResult,
  Target,
} from '../kinds/target';
import { sayingOf } from '../kinds/target';
import { applyObject, type ApplyContext } from './apply-object';
import { describeKubeError } from '../../kube/api-errors';
import { runBounded } from './bounded';
import { KubeClient, type KubeClientOptions } from '../../kube/client';
import { readExisting } from './existing';
import { loadKubeconfig } from '../../kube/kubeconfig';
import { DeployWatch, type WatchedWorkload } from './progress-watch';
import { objectLabel } from './progress-text';
import { parseGroupKinds, prune, unionKinds } from './prune';
import { removeEnvironment } from './remove';
import { Resources } from './resources';

export const DEFAULT_CONCURRENCY = 16;

export interface KubeTargetOptions {
  kc: KubeConfig;
  /** Objects of one wave in flight at once. */
  concurrency?: number;
  client?: KubeClientOptions;
  /** Follow pods, events and workloads while applying (default true). */
  watch?: boolean;
}

export class KubeTarget implements Target {
  readonly kind = 'kube' as const;
  readonly client: KubeClient;
  private readonly resources: Resources;
  private readonly concurrency: number;

  constructor(private readonly options: KubeTargetOptions) {
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.client = new KubeClient(options.kc, { maxInFlight: this.concurrency, ...options.client });
    this.resources = new Resources(this.client);
  }

  /** A target for a kubeconfig file (default: KUBECONFIG, else ~/.kube/config) and context (default: its current one). */
  static fromKubeconfig(
    choice: { kubeconfig?: string; context?: string; session?: SessionTokenSource },
    options: Omit<KubeTargetOptions, 'kc'> = {},
  ): KubeTarget {
    const loaded = loadKubeconfig({ file: choice.kubeconfig });
    return new KubeTarget({ ...options, kc: loaded.forContext(choice.context ?? loaded.currentContext, choice.session) });
  }

  get server(): string {
    return this.client.server;
  }

  get context(): string {
    return this.client.context;
  }

  existing(environment: { id: string; namespace: string }, options: { signal: AbortSignal }): Promise<ExistingEnvironment> {
    return readExisting(this.client, environment, options.signal);
  }

  async apply(plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
    const emit = guarded(options.onProgress);
    const outcomes = new Map<KubeObject, ObjectOutcome>(plan.objects.map((o) => [o, planned(o)]));
    const ctx: ApplyContext = {
      client: this.client,
      resources: this.resources,
      signal: options.signal,
      forceConflicts: options.forceConflicts === true,
      onProgress: emit,
    };
    const workloads = plan.objects.filter(
      (o): o is KubeObject & { kind: WatchedWorkload['kind'] } => o.kind === 'Deployment' || o.kind === 'StatefulSet',
    );
    const watch =
      this.options.watch === false || workloads.length === 0
        ? undefined
        : new DeployWatch({
            kc: this.options.kc,
            namespace: plan.environment.namespace,
            workloads: workloads.map((o) => ({ kind: o.kind, name: o.metadata.name, replicas: replicasOf(o) })),
            onProgress: emit,
          });
    // Pods exist only once their workloads do: the watches start with that wave, so their
    // connections and first lists overlap its writes instead of following them (readiness counts a
    // workload only once seen at the version its apply returned), and cost the waves before it nothing.
    const workloadWave = plan.waves.findIndex((wave) => wave.some((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet'));
    const result = (outcome: ApplyResult['outcome'], extra: Partial<ApplyResult> = {}): ApplyResult => ({
      outcome,
      objects: plan.objects.map((o) => outcomes.get(o) ?? planned(o)),
      pruned: [],
      ...extra,
    });
    try {
      sayPhase(
        emit,
        'applying',
        say('deploy.applying', {
          objects: plan.objects.length,
          waves: plan.waves.length,
          server: this.client.server,
          context: this.client.context,
        }),
      );
      let previousKinds: string[] | undefined;
      let firstFailure: unknown;
      let failures = 0;
      for (const [index, wave] of plan.waves.entries()) {
        if (options.signal.aborted) break;
        if (index === workloadWave) watch?.start();
        const parentRead = index === 0 ? this.parentKinds(plan, options.signal) : undefined;
        const sends = wave.map((original) => ({
          original,
          object:
            previousKinds !== undefined && isParent(original, plan)
              ? withKinds(original, unionKinds(previousKinds, plan.applyset.groupKinds))
              : original,
        }));
        // KEP-3659: the parent names new kinds before any member of them exists.
        const addsKinds = previousKinds !== undefined && plan.applyset.groupKinds.some((k) => !(previousKinds ?? []).includes(k));
        const first = addsKinds ? sends.filter((s) => isParent(s.original, plan)) : [];
        const rest = sends.filter((s) => !first.includes(s));
        const ordered = [...first, ...rest];
        const settled = [
          ...(await runBounded(first, 1, (s) => applyObject(ctx, s.object), options.signal)),
          ...(await runBounded(rest, this.concurrency, (s) => applyObject(ctx, s.object), options.signal)),
        ];
        settled.forEach((s, i) => {
          const object = ordered[i]?.object;
          if (s.status === 'fulfilled' && object !== undefined && (object.kind === 'Deployment' || object.kind === 'StatefulSet')) {
            watch?.expect(
              object.kind,
              object.metadata.name,
              (s.value.metadata as { resourceVersion?: string } | undefined)?.resourceVersion,
            );
          }
        });
        ordered.forEach(({ original }, i) => {
          const s = settled[i];
          if (s === undefined || s.status === 'skipped') return;
          const outcome = outcomes.get(original) ?? planned(original);
          if (s.status === 'fulfilled') outcome.state = 'applied';
          else {
            outcome.state = 'failed';
            outcome.message = describeKubeError(s.reason).message;
            failures += 1;
            firstFailure ??= s.reason;
          }
          outcomes.set(original, outcome);
          emit(objectEvent(outcome));
        });
        if (parentRead !== undefined) {
          const read = await parentRead;
          if ('error' in read) firstFailure ??= read.error;
          else previousKinds = read.kinds;
        }
        const waveOutcomes = wave.map((o) => outcomes.get(o) ?? planned(o));
        emit({
          type: 'wave',
          index,
          count: plan.waves.length,
          objects: waveOutcomes,
          ...sayingOf(waveSaid(index, plan.waves.length, waveOutcomes)),
          at: now(),
        });
        if (firstFailure !== undefined) break;
      }
      if (firstFailure !== undefined) {
        const error = toApiError(describeKubeError(firstFailure));
        if (failures > 1) error.message += ` (and ${failures - 1} more object${failures === 2 ? '' : 's'} failed)`;
        return result('failed', { error });
      }
      if (options.signal.aborted) return cancelled(result, outcomes);

      let pruned: ObjectOutcome[] = [];
      if (previousKinds !== undefined) {
        sayPhase(emit, 'pruning', say('deploy.pruning'));
        pruned = await prune(
          { client: this.client, resources: this.resources, signal: options.signal, concurrency: this.concurrency, onProgress: emit },
          plan,
          previousKinds,
        );
        const failed = pruned.find((o) => o.state === 'failed');
        if (failed !== undefined)
          return result('failed', {
            pruned,
            error: { code: 'unavailable', message: failed.message ?? `${objectLabel(failed.kind, failed.name)} could not be pruned` },
          });
        const parent = plan.objects.find((o) => isParent(o, plan));
        // Only now may the parent stop naming kinds that no member holds any more.
        if (parent !== undefined && unionKinds(previousKinds, plan.applyset.groupKinds).join(',') !== plan.applyset.groupKinds.join(','))
          await applyObject(ctx, parent);
      }
      if (options.waitForReadyMs === undefined || watch === undefined) {
        sayPhase(emit, 'done', say('deploy.allApplied', { count: plan.objects.length }));
        return result('succeeded', { pruned });
      }
      sayPhase(emit, 'waiting', say('deploy.waitingForPods'));
      const readiness = await watch.waitReady(options.waitForReadyMs, options.signal);
      const said = readiness.said ?? readiness.text;
      const summary = { ready: readiness.ready, text: readiness.text, ...(readiness.said === undefined ? {} : { said: readiness.said }) };
      if (readiness.ready) {
        sayPhase(emit, 'done', say('deploy.ready', { readiness: said }));
        return result('succeeded', { pruned, readiness: summary });
      }
      if (options.signal.aborted)
        return result('cancelled', {
          pruned,
          readiness: summary,
          error: { code: 'cancelled', ...messageFields(say('deploy.notReadyCancelled', { readiness: said })) },
        });
      return result('failed', {
        pruned,
        readiness: summary,
        error: {
          code: 'timeout',
          ...messageFields(say('deploy.notReadyTimeout', { duration: formatDuration(options.waitForReadyMs), readiness: said })),
        },
      });
    } catch (error) {
      const described = describeKubeError(error);
      if (described.code === 'cancelled') return cancelled(result, outcomes);
      return result('failed', { error: toApiError(described) });
    } finally {
      watch?.dispose();
    }
  }

  remove(request: RemoveRequest, options: RemoveOptions): Promise<RemoveResult> {
    const ctx = {
      client: this.client,
      resources: this.resources,
      signal: options.signal,
      concurrency: this.concurrency,
      onProgress: guarded(options.onProgress),
    };
    sayPhase(
      ctx.onProgress,
      'deleting',
      say('deploy.deleting', { environment: request.environmentId, namespace: request.namespace, server: this.client.server }),
    );
    return removeEnvironment(ctx, request, options.waitMs);
  }

  close(): void {
    this.client.close();
  }

  /** The kinds the live ApplySet parent names; none when there is no parent yet (a first deploy). Never rejects: read while wave 0 runs. */
  private async parentKinds(plan: Plan, signal: AbortSignal): Promise<{ kinds?: string[] } | { error: unknown }> {
    const { namespace, name } = plan.applyset.parent;
    try {
      const parent = await this.client.get<{ metadata?: { annotations?: Record<string, string> } }>(
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`,
        { signal },
      );
      return { kinds: parseGroupKinds(parent.metadata?.annotations?.[APPLYSET_GROUP_KINDS]) };
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return {};
      return {
        error: describeKubeError(error, {
          object: `the ApplySet parent Secret ${name}`,
          server: this.client.server,
          context: this.client.context,
        }),
      };
    }
  }
}

function planned(object: KubeObject): ObjectOutcome {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    ...(object.metadata.namespace === undefined ? {} : { namespace: object.metadata.namespace }),
    state: 'planned',
  };
}

function replicasOf(workload: KubeObject): number {
  const replicas = (workload.spec as { replicas?: unknown } | undefined)?.replicas;
  return typeof replicas === 'number' ? replicas : 1;
}

function isParent(object: KubeObject, plan: Plan): boolean {
  return (
    object.kind === 'Secret' &&
    object.metadata.name === plan.applyset.parent.name &&
    object.metadata.namespace === plan.applyset.parent.namespace
  );
}

function withKinds(parent: KubeObject, kinds: readonly string[]): KubeObject {
  return {
    ...parent,
    metadata: { ...parent.metadata, annotations: { ...parent.metadata.annotations, [APPLYSET_GROUP_KINDS]: kinds.join(',') } },
  };
}

function cancelled(
  result: (outcome: ApplyResult['outcome'], extra?: Partial<ApplyResult>) => ApplyResult,
  outcomes: Map<KubeObject, ObjectOutcome>,
): ApplyResult {
  const all = [...outcomes.values()];
  const applied = all.filter((o) => o.state === 'applied').length;
  for (const o of all) if (o.state === 'planned') o.message = 'not applied: cancelled';
  return result('cancelled', {
    error: { code: 'cancelled', message: `Cancelled: ${applied} of ${all.length} objects were applied, the others were not sent.` },
  });
}

function objectEvent(outcome: ObjectOutcome): ProgressEvent {
  const label = objectLabel(outcome.kind, outcome.name);
  return {
    type: 'object',
    action: outcome.state === 'applied' ? 'applied' : 'failed',
    kind: outcome.kind,
    name: outcome.name,
    ...(outcome.namespace === undefined ? {} : { namespace: outcome.namespace }),
    ...(outcome.message === undefined ? {} : { message: outcome.message }),
    // A failure is said in the API's words, as the error describes it.
    ...(outcome.state === 'applied'
      ? sayingOf(say('deploy.applied', { object: label }))
      : outcome.message === undefined
        ? sayingOf(say('deploy.failed', { object: label }))
        : { text: outcome.message }),
    at: now(),
  };
}

function waveSaid(index: number, count: number, outcomes: readonly ObjectOutcome[]): Message {
  const applied = outcomes.filter((o) => o.state === 'applied').length;
  return say('deploy.wave', { wave: index + 1, waves: count, applied, total: outcomes.length });
}

function sayPhase(emit: ProgressListener, phase: 'applying' | 'pruning' | 'waiting' | 'deleting' | 'done', message: Message): void {
  emit({ type: 'phase', phase, ...sayingOf(message), at: now() });
}

/** A listener that throws must not break the deploy. */
function guarded(listener: ProgressListener): ProgressListener {
  return (event) => {
    try {
      listener(event);
    } catch {
      // The deploy goes on; the listener's owner sees its own failure.
    }
  };
}

function now(): string {
  return new Date().toISOString();
}

export function formatDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 100) / 10} s`;
}
