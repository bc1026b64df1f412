/**
 * Deploy, update and delete environments. Each returns an operation id at
 * once and reports progress through events; each writes the inventory record
 * before it touches the cluster, after every wave and when it ends, so the
 * record always says what was applied. An operation found `running` by a later
 * start was interrupted (the inventory marks it) and can be resumed: applying
 * again is idempotent.
 */
import { ownerAtDeploy, ownerOf } from './owner';
import { randomUUID } from 'node:crypto';
import type { LoadedTemplate } from '../catalogue/template';
import { AfpError, toApiError } from '../errors';
import { renderPlan } from '../render/plan';
import type { RenderInput } from '../render/types';
import { describeKubeError } from '../kube/api-errors';
import type { ProgressEvent } from '../targets/kinds/target';
import { traitsOf } from '../targets/kinds/traits';
import { isProcessAlive } from '../fs/process';
import type { EnvironmentRecord } from '../inventory/record';
import { kubeConnector, type ConnectTarget, type TargetConnection } from '../targets/connect';
import type {
  ApplyChoices,
  DeleteOptions,
  DeployRequest,
  EnvironmentOperationsOptions,
  OperationEvent,
  OperationHandle,
  OperationResult,
  SiteRender,
  Subject,
} from './operation-types';
import { refuseIncapable } from './capability';
import {
  finishOperation,
  infrastructureOf,
  infrastructureRecorded,
  lastOperation,
  namespaceOf,
  newRecord,
  operationRecord,
  planned,
  startOperation,
  waveDone,
  type Finish,
} from './record-steps';
import { redeployInIm } from './redeploy';
import { RunningOperations, type RunningOperation } from './running';
import type { TargetChoice } from '../targets/target-choice';

export { kubeConnector, targetConnector, type ConnectTarget, type ConnectorOptions, type TargetConnection } from '../targets/connect';
export type { TargetChoice } from '../targets/target-choice';
export type {
  ApplyChoices,
  DeleteOptions,
  DeployRequest,
  EnvironmentOperationsOptions,
  OperationEvent,
  OperationHandle,
  OperationResult,
} from './operation-types';

interface ApplyArgs extends ApplyChoices {
  template: LoadedTemplate;
  values: Record<string, unknown>;
  connection: TargetConnection;
  environment: { id: string; name: string; namespace: string };
  links?: RenderInput['links'];
  /** The site's isolation and hub sign-in, and the owner: read when the operation starts. */
  site?: SiteRender;
}

export class EnvironmentOperations {
  private readonly running = new RunningOperations();
  private readonly listeners = new Set<(event: OperationEvent) => void>();
  private readonly pending = new Set<Promise<OperationResult>>();
  private readonly connect: ConnectTarget;
  private readonly now: () => string;

  constructor(private readonly options: EnvironmentOperationsOptions) {
    this.connect = options.connect ?? kubeConnector();
    const clock = options.now ?? (() => new Date());
    this.now = () => clock().toISOString();
  }

  onEvent(listener: (event: OperationEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Checks the request, records the new environment, and starts deploying it. */
  async deploy(request: DeployRequest): Promise<OperationHandle> {
    const template = (await this.options.catalogue()).require(request.template);
    const name = request.name ?? template.name;
    this.options.site?.admit('deploy', name);
    this.options.site?.checkValues(template, request.values ?? {});
    const links = this.options.site?.links();
    const site = this.options.site?.render() ?? {};
    if (this.options.store.get(name) !== undefined) {
      throw new AfpError('conflict', `An environment named "${name}" already exists; choose another name, or update that one.`, {
        field: 'name',
      });
    }
    const id = randomUUID();
    const values = request.values ?? {};
    // Values and names are checked before anything is recorded; the secrets drawn here are thrown away.
    const choice: TargetChoice = request.target ?? {
      kind: 'kube',
      kubeconfig: request.kubeconfig,
      context: request.context,
    };
    const trial = renderPlan({
      template,
      values,
      environment: { name, id },
      target: choice.kind,
      ...optional('links', links),
      ...site,
      ...optional('valuesOrigin', request.valuesOrigin),
    });
    refuseIncapable(trial, choice.kind);
    const connection = this.connect(choice);
    const operationId = `op-${randomUUID()}`;
    const at = this.now();
    const target = connection.ref(trial.environment.namespace);
    const owner = ownerAtDeploy(site.owner, target);
    try {
      this.options.store.create(
        newRecord({
          id,
          plan: trial,
          target,
          operation: operationRecord(operationId, 'deploy', at),
          at,
          linkPolicy: links,
          ...optional('owner', owner),
        }),
      );
    } catch (error) {
      connection.target.close();
      throw error;
    }
    return this.launch({ operationId, environmentId: id, name, kind: 'deploy' }, (op) =>
      this.runApply(op, {
        ...choices(request),
        template,
        values,
        connection,
        environment: { id, name, namespace: trial.environment.namespace },
        links,
        site: { ...site, ...optional('owner', owner) },
      }),
    );
  }

  /** Changes values of a deployed environment (merged over the recorded ones), re-applies and prunes. */
  async update(idOrName: string, values: Record<string, unknown>, options: ApplyChoices = {}): Promise<OperationHandle> {
    const record = this.require(idOrName);
    this.options.site?.admit('update', record.name);
    this.options.site?.checkValues((await this.options.catalogue()).require(record.template.name), values);
    return this.startApply(record, 'update', { ...record.values, ...values }, options);
  }

  /**
   * Re-applies the recorded plan as it is (the values it runs with), taking
   * back the fields someone changed outside the app: their new managers would
   * otherwise refuse the apply as a conflict. What drift showed is undone.
   */
  async restore(idOrName: string, options: ApplyChoices = {}): Promise<OperationHandle> {
    return this.update(idOrName, {}, { ...options, forceConflicts: true });
  }

  /** Runs an interrupted, failed or cancelled operation again. */
  async resume(idOrName: string, options: ApplyChoices & DeleteOptions = {}): Promise<OperationHandle> {
    const record = this.require(idOrName);
    const last = lastOperation(record);
    // A resumed delete is a delete: the site's rules never keep anyone from removing what they deployed.
    if (last?.kind !== 'delete') this.options.site?.admit('resume', record.name);
    if (last === undefined || last.outcome === 'succeeded' || last.outcome === 'running') {
      throw new AfpError('conflict', `Environment ${record.name} has no unfinished operation to resume.`);
    }
    if (last.kind === 'delete') return this.delete(record.id, options);
    return this.startApply(record, last.kind, record.values, options);
  }

  delete(idOrName: string, options: DeleteOptions = {}): Promise<OperationHandle> {
    try {
      return Promise.resolve(this.startDelete(idOrName, options));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private startDelete(idOrName: string, options: DeleteOptions): OperationHandle {
    const record = this.require(idOrName);
    this.assertIdle(record);
    const connection = this.connect(record.target);
    const operationId = `op-${randomUUID()}`;
    try {
      this.write(record.id, (draft) => startOperation(draft, operationRecord(operationId, 'delete', this.now())));
    } catch (error) {
      connection.target.close();
      throw error;
    }
    return this.launch(
      { operationId, environmentId: record.id, name: record.name, kind: 'delete' },
      async (op) => {
        const result = await connection.target.remove(
          {
            environmentId: record.id,
            namespace: namespaceOf(record),
            objects: record.objects,
            ...optional('infrastructureId', infrastructureOf(record.target)),
          },
          {
            signal: op.controller.signal,
            onProgress: (progress) => this.emit({ ...subject(op), type: 'progress', progress }),
            ...optional('waitMs', options.waitMs),
          },
        );
        if (result.outcome === 'succeeded' && result.gone) {
          this.options.store.remove(record.id);
          return { outcome: 'succeeded' };
        }
        return this.finish(op, { outcome: result.outcome, deleting: result.outcome === 'succeeded', ...optional('error', result.error) });
      },
      connection,
    );
  }

  /**
   * Removes the environment from the inventory and nothing else: no request
   * reaches its cluster or IM. For a record whose deploy failed before
   * anything was created, or whose cluster is gone for good. Answers what the
   * record said was applied, which stays wherever it is.
   */
  forget(idOrName: string): { name: string; applied: number; namespace: string } {
    const record = this.require(idOrName);
    this.assertIdle(record);
    this.options.store.remove(record.id);
    return {
      name: record.name,
      applied: record.objects.filter((o) => o.state === 'applied').length,
      namespace: namespaceOf(record),
    };
  }

  cancel(operationId: string): boolean {
    return this.running.cancel(operationId);
  }

  /** IM's log of an IM or dispatcher environment's infrastructure. */
  async logs(idOrName: string, signal: AbortSignal = new AbortController().signal): Promise<{ text: string; infrastructureId: string }> {
    const record = this.require(idOrName);
    const id = infrastructureOf(record.target);
    if (!traitsOf(record.target.kind).logs)
      throw new AfpError(
        'unsupported',
        `Environment ${record.name} runs on a Kubernetes context: its pods and events are on its page; IM logs exist only for IM and dispatcher environments.`,
      );
    if (id === undefined)
      throw new AfpError('not_found', `Environment ${record.name} has no infrastructure recorded yet: IM has not accepted it.`);
    const { target } = this.connect(record.target);
    try {
      if (target.logs === undefined) throw new AfpError('unsupported', `This target keeps no logs for ${record.name}.`);
      return { text: await target.logs(id, signal), infrastructureId: id };
    } finally {
      target.close();
    }
  }

  list(): Subject[] {
    return this.running.list().map(subject);
  }

  /** Resolves when every operation started so far has ended (cancel them first to stop quickly). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private async startApply(
    record: EnvironmentRecord,
    kind: 'deploy' | 'update',
    values: Record<string, unknown>,
    options: ApplyChoices,
  ): Promise<OperationHandle> {
    this.assertIdle(record);
    const template = (await this.options.catalogue()).require(record.template.name);
    const environment = { id: record.id, name: record.name, namespace: namespaceOf(record) };
    // The site's link policy in force, else the one the environment was deployed with: an update never drops its Ingress by omission.
    const links = this.options.site?.links() ?? record.linkPolicy;
    const acting = this.options.site?.render() ?? {};
    const site = { ...acting, ...optional('owner', ownerOf(record, acting.owner)) };
    refuseIncapable(
      renderPlan({ template, values, environment, target: record.target.kind, ...optional('links', links), ...site }),
      record.target.kind,
    );
    const connection = this.connect(record.target);
    const operationId = `op-${randomUUID()}`;
    const recorded = Object.fromEntries(
      Object.entries(values).filter((e): e is [string, string | number | boolean] => ['string', 'number', 'boolean'].includes(typeof e[1])),
    );
    try {
      this.write(record.id, (draft) =>
        startOperation(draft, operationRecord(operationId, kind, this.now(), kind === 'update' ? recorded : undefined)),
      );
    } catch (error) {
      connection.target.close();
      throw error;
    }
    return this.launch({ operationId, environmentId: record.id, name: record.name, kind }, (op) =>
      this.runApply(op, { ...options, template, values, connection, environment, links, site }),
    );
  }

  private launch(about: Subject, run: (op: RunningOperation) => Promise<OperationResult>, connection?: TargetConnection): OperationHandle {
    const op: RunningOperation = { ...about, startedAt: this.now(), controller: new AbortController() };
    this.running.add(op);
    const done = (async (): Promise<OperationResult> => {
      let result: OperationResult;
      try {
        result = await run(op);
      } catch (error) {
        const described = toApiError(describeKubeError(error));
        result = this.finish(op, { outcome: described.code === 'cancelled' ? 'cancelled' : 'failed', error: described });
      } finally {
        this.running.remove(op.operationId);
        connection?.target.close();
      }
      this.emit({ ...subject(op), type: 'done', result });
      return result;
    })();
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
    return { ...about, done };
  }

  private async runApply(op: RunningOperation, args: ApplyArgs): Promise<OperationResult> {
    const { signal } = op.controller;
    const { target } = args.connection;
    const onProgress = (progress: ProgressEvent): void => {
      if (progress.type === 'wave')
        this.write(op.environmentId, (draft) => waveDone(draft, progress.objects, progress.said ?? progress.text));
      // IM named the infrastructure: recorded at once, so a crash from here on still knows what to delete.
      if (progress.type === 'infrastructure') this.write(op.environmentId, (draft) => infrastructureRecorded(draft, progress.id));
      this.emit({ ...subject(op), type: 'progress', progress });
    };
    try {
      const infrastructureId = infrastructureOf(this.options.store.get(op.environmentId)?.target);
      const existing = await target.existing(
        { id: args.environment.id, namespace: args.environment.namespace, ...optional('infrastructureId', infrastructureId) },
        { signal },
      );
      if (existing.presence === 'foreign' || existing.presence === 'deleting') {
        return this.finish(op, {
          outcome: 'failed',
          error: { code: 'conflict', message: existing.message ?? 'The namespace cannot be used.', field: 'name' },
        });
      }
      if (traitsOf(target.kind).updates === 'recreate' && infrastructureId !== undefined && existing.presence !== 'absent') {
        const removed = await redeployInIm(
          target,
          { environmentId: args.environment.id, namespace: args.environment.namespace, infrastructureId },
          existing,
          { signal, onProgress },
        );
        if (removed !== undefined) return this.finish(op, removed);
        this.write(op.environmentId, (draft) => infrastructureRecorded(draft, undefined));
      }
      const plan = renderPlan({
        template: args.template,
        values: args.values,
        environment: args.environment,
        secrets: existing.secrets,
        target: target.kind,
        ...optional('links', args.links),
        ...args.site,
      });
      this.write(op.environmentId, (draft) => planned(draft, plan, args.links));
      const result = await target.apply(plan, {
        signal,
        onProgress,
        ...optional('waitForReadyMs', args.waitForReadyMs),
        ...optional('forceConflicts', args.forceConflicts),
      });
      return this.finish(op, {
        outcome: result.outcome,
        objects: [...result.objects, ...result.pruned],
        ...optional('error', result.error),
        ...optional('readiness', result.readiness),
      });
    } finally {
      target.close();
    }
  }

  /** Marks the operation's end in the record; a store that fails then is reported in the result. */
  private finish(op: RunningOperation, finish: Omit<Finish, 'operationId' | 'at'>): OperationResult {
    const result: OperationResult = {
      outcome: finish.outcome,
      ...optional('error', finish.error),
      ...optional('readiness', finish.readiness),
    };
    try {
      result.record = this.options.store.update(op.environmentId, (draft) =>
        finishOperation(draft, { ...finish, operationId: op.operationId, at: this.now() }),
      );
    } catch (error) {
      const stored = toApiError(error);
      return {
        ...result,
        outcome: 'failed',
        error: {
          ...stored,
          message: `${finish.error?.message ?? 'The operation ended'}, but the inventory could not record it: ${stored.message}`,
        },
      };
    }
    return result;
  }

  /** Writes a step; if the inventory cannot take it, the operation stops rather than run unrecorded. */
  private write(environmentId: string, mutate: (draft: EnvironmentRecord) => void): void {
    try {
      this.options.store.update(environmentId, mutate);
    } catch (error) {
      const op = this.running.list().find((o) => o.environmentId === environmentId);
      op?.controller.abort();
      throw error;
    }
  }

  private require(idOrName: string): EnvironmentRecord {
    const record = this.options.store.get(idOrName);
    if (record === undefined) throw new AfpError('not_found', `No environment "${idOrName}" in the inventory.`, { field: 'environment' });
    return record;
  }

  private assertIdle(record: EnvironmentRecord): void {
    const last = lastOperation(record);
    if (last?.outcome !== 'running') return;
    const here = this.running.list().some((op) => op.operationId === last.id);
    if (here || (last.pid !== undefined && last.pid !== process.pid && isProcessAlive(last.pid))) {
      throw new AfpError(
        'locked',
        `Environment ${record.name} is busy: a ${last.kind} is running${here ? '' : ` in another AF Provisioner (process ${last.pid})`}.`,
      );
    }
  }

  private emit(event: OperationEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure must not stop the operation or the other listeners.
      }
    }
  }
}

function subject(op: Subject): Subject {
  return { operationId: op.operationId, environmentId: op.environmentId, name: op.name, kind: op.kind };
}

function choices(request: ApplyChoices): ApplyChoices {
  return { ...optional('waitForReadyMs', request.waitForReadyMs), ...optional('forceConflicts', request.forceConflicts) };
}

/** `{ key: value }` when the value is defined, else nothing (exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
