/**
 * Environments as the renderer sees them: the inventory's records with their
 * live status, operations started and followed through contract events, and
 * links opened (port-forwarding where needed).
 */
import type { Catalogue } from '../catalogue/catalogue';
import type { EnvironmentDetail, EnvironmentSummary, OperationHistory } from '../contract/environments';
import type { PlanRequest } from '../contract/plan';
import type { TargetChoiceView } from '../contract/environments';
import type { EnvironmentOperations, OperationEvent, OperationHandle } from '../environments/operations';
import { AfpError } from '../errors';
import type { EventBus } from '../events';
import type { ActiveProfile } from '../site/active-profile';
import type { KeyValueStore } from '../store/key-value-store';
import type { Tracking } from '../tracking';
import type { Inventory } from '../inventory/inventory';
import type { EnvironmentRecord } from '../inventory/record';
import { emptySections } from '../tracking/views';
import { targetFacts, targetLabel, targetTraitsView } from '../targets/kinds/traits';
import type { CredentialsView } from '../contract/credentials';
import { environmentCredentials } from './credentials';
import { deletionLosses } from './deletion-losses';
import { environmentOperations, environmentTracking, openInventory, statusReaders, type CoreSession } from './environments-core';
import type { LogSources, LogStreamRequest } from '../contract/logs';
import { readLogSources } from './log-sources';
import { LogStreams } from './log-streams';

/** Lines kept per operation, and operations kept, for a page that opens after they were sent. */
const HISTORY_LINES = 500;
const HISTORY_OPERATIONS = 20;

type Progress = OperationHistory['progress'][number];

interface KeptHistory {
  progress: Progress[];
  next: number;
  done?: OperationHistory['done'];
}

export interface EnvironmentsServiceOptions {
  store: KeyValueStore;
  events: EventBus;
  catalogue: () => Promise<Catalogue>;
  profile: () => ActiveProfile | null;
  openExternal: (url: string) => Promise<boolean>;
  /** The signed-in session: kubeconfig users bound to it (exec: afp kube-token), and every IM and dispatcher call. */
  session?: CoreSession;
  /** A site's own CA for IM and the dispatcher, besides the system's. */
  caPem?: string;
  /** Between IM state reads (tests); never below IM's own 10 s in the status source. */
  imPollMs?: number;
}

export function summaryOf(record: EnvironmentRecord, status = record.status, links: EnvironmentSummary['links'] = []): EnvironmentSummary {
  const last = record.operations.at(-1);
  return {
    id: record.id,
    name: record.name,
    template: record.template,
    target: {
      kind: record.target.kind,
      label: targetLabel(record.target, 'page'),
      ...targetFacts(record.target),
      traits: targetTraitsView(record.target.kind),
    },
    status,
    links,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    values: record.values,
    ...(last === undefined
      ? {}
      : {
          lastOperation: {
            id: last.id,
            kind: last.kind,
            outcome: last.outcome,
            message: last.message,
          },
        }),
  };
}

export class EnvironmentsService {
  readonly inventory: Inventory;
  readonly operations: EnvironmentOperations;
  readonly tracking: Tracking;
  private readonly logStreams: LogStreams;
  private readonly stops: (() => void)[] = [];
  private readonly histories = new Map<string, KeptHistory>();

  constructor(private readonly options: EnvironmentsServiceOptions) {
    this.inventory = openInventory(options.store);
    this.inventory.recoverInterrupted();
    const core = {
      inventory: this.inventory,
      catalogue: options.catalogue,
      profile: options.profile,
      session: options.session,
      caPem: options.caPem,
      imPollMs: options.imPollMs,
    };
    this.operations = environmentOperations(core);
    this.tracking = environmentTracking(core);
    this.logStreams = new LogStreams({ emit: (event) => options.events.emit(event), kubeConfigFor: this.kubeConfigFor() });
    this.stops.push(this.operations.onEvent((event) => this.forward(event)));
    this.stops.push(
      // Desktop notifications are the renderer's (renderer/client/notifications.ts): its words are in its catalogues.
      this.tracking.tracker.onBatch((batch) => options.events.emit({ type: 'environments.batch', deltas: batch.deltas })),
    );
    this.tracking.tracker.start();
  }

  list(): EnvironmentSummary[] {
    return this.inventory.list().map((record) => {
      const view = this.tracking.tracker.summary(record.id);
      return summaryOf(record, view?.status ?? record.status, view?.links ?? []);
    });
  }

  get(id: string): EnvironmentDetail {
    const record = this.require(id);
    const view = this.tracking.tracker.view(record.id);
    const { pods, services, ingresses, workloads, events, links, drift } = view ?? { ...emptySections() };
    return {
      summary: summaryOf(record, view?.status ?? record.status, links),
      live: { pods, services, ingresses, workloads, events, links, drift },
      objects: record.objects.map((o) => ({
        kind: o.kind,
        name: o.name,
        state: o.state,
        message: o.message,
      })),
      losses: deletionLosses(record),
      credentials: (record.credentials ?? []).map(({ id, title, component, username }) => ({
        id,
        title,
        component,
        withUsername: username !== undefined,
      })),
      operations: record.operations.map((op) => ({
        id: op.id,
        kind: op.kind,
        startedAt: op.startedAt,
        finishedAt: op.finishedAt,
        outcome: op.outcome,
        message: op.message,
        said: op.said,
      })),
    };
  }

  async deploy(plan: PlanRequest, target: TargetChoiceView): Promise<{ operationId: string; environmentId: string }> {
    const handle = await this.operations.deploy({
      template: plan.template,
      values: plan.values,
      ...(plan.name === undefined || plan.name === '' ? {} : { name: plan.name }),
      target,
      waitForReadyMs: 10 * 60_000,
    });
    return this.started(handle);
  }

  async update(id: string, values: PlanRequest['values']): Promise<{ operationId: string; environmentId: string }> {
    const record = this.require(id);
    return this.started(await this.operations.update(record.id, values, { waitForReadyMs: 10 * 60_000 }));
  }

  /** Re-applies the recorded plan, undoing what was changed outside the app. */
  async restore(id: string): Promise<{ operationId: string; environmentId: string }> {
    return this.started(await this.operations.restore(this.require(id).id, { waitForReadyMs: 10 * 60_000 }));
  }

  async delete(id: string): Promise<{ operationId: string; environmentId: string }> {
    return this.started(await this.operations.delete(this.require(id).id, { waitMs: 5 * 60_000 }));
  }

  /** Removes the record only; the cluster (or IM) is not asked anything. */
  forget(id: string): { name: string; applied: number; namespace: string } {
    return this.operations.forget(this.require(id).id);
  }

  async resume(id: string): Promise<{ operationId: string; environmentId: string }> {
    return this.started(await this.operations.resume(this.require(id).id, { waitForReadyMs: 10 * 60_000 }));
  }

  cancel(operationId: string): boolean {
    return this.operations.cancel(operationId);
  }

  async logs(id: string): Promise<{ infrastructureId: string; text: string }> {
    return this.operations.logs(this.require(id).id, AbortSignal.timeout(60_000));
  }

  /** Read now from the target, as the app's kubeconfig user (IM: as the signed-in user); the answer is not kept here. */
  credentials(id: string): Promise<CredentialsView> {
    const { profile, session, caPem } = this.options;
    return environmentCredentials(this.require(id), {
      profile,
      session,
      caPem,
    });
  }

  /** The pods and containers whose logs can be read, as the app's kubeconfig user sees them now. */
  async logSources(id: string): Promise<LogSources> {
    const pods = await readLogSources(this.require(id), this.kubeConfigFor());
    return { pods: pods.map(({ defaultContainer: _default, ...pod }) => pod) };
  }

  logStream({ id, ...request }: LogStreamRequest): { streamId: string } {
    return { streamId: this.logStreams.start(this.require(id), request) };
  }

  logStop(streamId: string): { stopped: boolean } {
    return { stopped: this.logStreams.stop(streamId) };
  }

  private kubeConfigFor(): ReturnType<typeof statusReaders>['kubeConfigFor'] {
    const { profile, session } = this.options;
    return statusReaders({ profile, session }).kubeConfigFor;
  }

  async openLink(id: string, linkId: string): Promise<{ url: string; opened: boolean }> {
    const url = await this.tracking.tracker.openLink(this.require(id).id, linkId);
    return { url, opened: await this.options.openExternal(url) };
  }

  async dispose(): Promise<void> {
    for (const stop of this.stops) stop();
    this.logStreams.dispose();
    this.tracking.dispose();
    for (const running of this.operations.list()) this.operations.cancel(running.operationId);
    await this.operations.settle();
  }

  private require(id: string): EnvironmentRecord {
    const record = this.inventory.get(id);
    if (record === undefined) throw new AfpError('not_found', `No environment "${id}".`, { field: 'id' });
    return record;
  }

  private started(handle: OperationHandle): { operationId: string; environmentId: string } {
    return { operationId: handle.operationId, environmentId: handle.environmentId };
  }

  /** The lines an operation reported so far and its end: a Deploy page opened after they were sent asks for them. */
  history(operationId: string): OperationHistory {
    const kept = this.histories.get(operationId);
    return kept === undefined ? { progress: [] } : { progress: [...kept.progress], done: kept.done };
  }

  private kept(operationId: string): KeptHistory {
    let kept = this.histories.get(operationId);
    if (kept === undefined) {
      kept = { progress: [], next: 0 };
      this.histories.set(operationId, kept);
      // The oldest operation's lines go first (a Map keeps insertion order).
      const oldest = this.histories.keys().next().value;
      if (this.histories.size > HISTORY_OPERATIONS && oldest !== undefined) this.histories.delete(oldest);
    }
    return kept;
  }

  private forward(event: OperationEvent): void {
    const base = { operationId: event.operationId, environmentId: event.environmentId, kind: event.kind };
    const kept = this.kept(event.operationId);
    if (event.type === 'done') {
      const { result } = event;
      const done: OperationHistory['done'] = {
        type: 'operation.done',
        ...base,
        outcome: result.outcome,
        error: result.error,
        ...(result.readiness === undefined ? {} : { readiness: result.readiness.text }),
        ...(result.readiness?.said === undefined ? {} : { readinessSaid: result.readiness.said }),
      };
      kept.done = done;
      this.options.events.emit(done);
      return;
    }
    const p = event.progress;
    const subject: { type: string; kind?: string; name?: string; component?: string; state?: string; ready?: number; desired?: number } = {
      type: p.type,
    };
    if ('kind' in p && typeof p.kind === 'string') subject.kind = p.kind;
    if ('name' in p && typeof p.name === 'string') subject.name = p.name;
    if ('component' in p && typeof p.component === 'string') subject.component = p.component;
    if (p.type === 'pod') subject.state = p.state;
    if (p.type === 'object') subject.state = p.action;
    if (p.type === 'workload') {
      subject.ready = p.ready;
      subject.desired = p.desired;
    }
    const said = p.said === undefined ? {} : { id: p.said.id, params: p.said.params };
    const line: Progress = { type: 'operation.progress', ...base, seq: kept.next, text: p.text, ...said, at: p.at, subject };
    kept.next += 1;
    kept.progress.push(line);
    if (kept.progress.length > HISTORY_LINES) kept.progress.shift();
    this.options.events.emit(line);
  }
}
