/**
 * How an operation changes an environment's record, step by step: started
 * (before the cluster is touched), a wave done, finished. Pure functions over
 * a draft, so the inventory's locked read-modify-write can apply them.
 */
import type { Plan } from '../render/types';
import type {
  CredentialRef,
  EnvironmentRecord,
  EnvironmentStatus,
  LinkRecord,
  ObjectRef,
  OperationRecord,
  StatusPhase,
  TargetRef,
} from '../inventory/record';
import type { ObjectOutcome, Outcome, ReadinessSummary } from '../targets/kinds/target';
import { errorParam, type ApiErrorShape } from '../errors';
import { say, type Message } from '../messages/message';
import { infrastructureOf, recordedNamespace, withInfrastructure } from '../targets/kinds/traits';
import { recordedManifest } from './manifests';
import { toscaLocators } from '../render/tosca/credential-locators';

export type OperationKind = OperationRecord['kind'];

export function newRecord(input: {
  id: string;
  plan: Plan;
  target: TargetRef;
  operation: OperationRecord;
  at: string;
  linkPolicy?: EnvironmentRecord['linkPolicy'];
  owner?: string;
}): EnvironmentRecord {
  const { plan, at } = input;
  return {
    id: input.id,
    name: plan.environment.name,
    template: { name: plan.environment.template, version: plan.environment.templateVersion },
    values: { ...plan.values },
    target: input.target,
    createdAt: at,
    updatedAt: at,
    status: { phase: 'Deploying', ...statusWords(say('status.starting')), since: at },
    objects: plan.objects.map((o) =>
      objectRef({
        apiVersion: o.apiVersion,
        kind: o.kind,
        name: o.metadata.name,
        ...(o.metadata.namespace === undefined ? {} : { namespace: o.metadata.namespace }),
        state: 'planned',
      }),
    ),
    links: linksOf(plan),
    ...(input.linkPolicy === undefined ? {} : { linkPolicy: { ...input.linkPolicy } }),
    operations: [input.operation],
    owner: input.owner,
    credentials: credentialsOf(plan),
  };
}

export function operationRecord(id: string, kind: OperationKind, at: string, values?: EnvironmentRecord['values']): OperationRecord {
  return { id, kind, startedAt: at, outcome: 'running', ...(values === undefined ? {} : { values: { ...values } }) };
}

/** An operation begins on an existing record: it is running, and the status says so. */
export function startOperation(record: EnvironmentRecord, operation: OperationRecord): void {
  record.operations.push(operation);
  record.status = {
    phase: operation.kind === 'delete' ? 'Deleting' : 'Deploying',
    ...statusWords(say('status.starting')),
    since: operation.startedAt,
  };
}

/** The plan is known (after reading back secrets): its objects, not yet applied, its links and the link policy it was rendered with. */
export function planned(record: EnvironmentRecord, plan: Plan, linkPolicy?: EnvironmentRecord['linkPolicy']): void {
  const before = new Map(record.objects.map((o) => [key(o), o]));
  record.objects = plan.objects.map((o) => {
    const ref = objectRef({
      apiVersion: o.apiVersion,
      kind: o.kind,
      name: o.metadata.name,
      ...(o.metadata.namespace === undefined ? {} : { namespace: o.metadata.namespace }),
      state: 'planned',
    });
    // What an earlier operation applied stays "applied" until this one says otherwise.
    return before.get(key(ref))?.state === 'applied' ? { ...ref, state: 'applied' } : ref;
  });
  record.values = { ...plan.values };
  record.template = { name: plan.environment.template, version: plan.environment.templateVersion };
  record.links = linksOf(plan);
  record.credentials = credentialsOf(plan);
  record.manifests = plan.objects.map(recordedManifest);
  if (linkPolicy === undefined) delete record.linkPolicy;
  else record.linkPolicy = { ...linkPolicy };
}

/** A wave ended: each of its objects as the target reported it. */
export function waveDone(record: EnvironmentRecord, outcomes: readonly ObjectOutcome[], message: Message | string): void {
  const byKey = new Map(outcomes.map((o) => [key(o), o]));
  record.objects = record.objects.map((o) => {
    const outcome = byKey.get(key(o));
    if (outcome === undefined || outcome.state === 'planned') return o;
    return objectRef(outcome);
  });
  const { phase, since, checkedAt } = record.status;
  record.status = { phase, since, checkedAt, ...statusWords(message) };
}

/** A status's words: its English `message`, and its id and parameters when it is a message. */
export function statusWords(said: Message | string): Pick<EnvironmentStatus, 'message' | 'id' | 'params'> {
  if (typeof said === 'string') return { message: said };
  return { message: said.text, id: said.id, params: said.params };
}

export interface Finish {
  operationId: string;
  outcome: Outcome;
  at: string;
  error?: ApiErrorShape;
  /** Every object of the plan and those pruned, after an apply. */
  objects?: readonly ObjectOutcome[];
  readiness?: ReadinessSummary;
  /** A delete that asked for deletion and did not wait. */
  deleting?: boolean;
}

export function finishOperation(record: EnvironmentRecord, finish: Finish): void {
  const operation = record.operations.find((op) => op.id === finish.operationId);
  if (operation === undefined) return;
  operation.outcome = finish.outcome;
  operation.finishedAt = finish.at;
  delete operation.message;
  delete operation.said;
  const message = finish.error === undefined ? (finish.readiness?.said ?? finish.readiness?.text) : errorParam(finish.error);
  if (typeof message === 'string') operation.message = message;
  else if (message !== undefined) {
    operation.message = message.text;
    operation.said = message;
  }
  if (finish.objects !== undefined) record.objects = finish.objects.map(objectRef);
  const phase = phaseAfter(operation.kind, finish);
  record.status = { phase, since: finish.at, ...statusWords(statusMessage(operation.kind, finish)) };
}

function phaseAfter(kind: OperationKind, finish: Finish): StatusPhase {
  if (finish.outcome === 'cancelled') return 'Cancelled';
  if (finish.outcome === 'failed') return 'Failed';
  if (kind === 'delete') return finish.deleting === true ? 'Deleting' : 'Deleted';
  // Applied without waiting: live tracking turns this into Ready or Degraded.
  return finish.readiness?.ready === true ? 'Ready' : 'Deploying';
}

function statusMessage(kind: OperationKind, finish: Finish): Message | string {
  if (finish.error !== undefined) return errorParam(finish.error);
  if (finish.readiness !== undefined) return finish.readiness.said ?? finish.readiness.text;
  if (kind === 'delete') return say(finish.deleting === true ? 'status.deletionRequested' : 'status.deleted');
  return say('status.appliedWaiting');
}

export { infrastructureOf };

/** IM named the environment's infrastructure (or, with undefined, the old one was deleted for a redeploy). */
export function infrastructureRecorded(record: EnvironmentRecord, id: string | undefined): void {
  withInfrastructure(record.target, id);
}

/** The environment's namespace: the kube target's, else the one the plan made (IM names its own). */
export function namespaceOf(record: EnvironmentRecord): string {
  return recordedNamespace(record.target) ?? record.objects.find((o) => o.kind === 'Namespace')?.name ?? record.name;
}

export function lastOperation(record: EnvironmentRecord): OperationRecord | undefined {
  return record.operations.at(-1);
}

function key(o: Pick<ObjectRef, 'apiVersion' | 'kind' | 'name' | 'namespace'>): string {
  return `${o.apiVersion}|${o.kind}|${o.namespace ?? ''}|${o.name}`;
}

function objectRef(o: ObjectOutcome): ObjectRef {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.name,
    namespace: o.namespace,
    state: o.state,
    message: o.message,
  };
}

function credentialsOf(plan: Plan): CredentialRef[] {
  // IM keeps the values only inside the TOSCA it stores: say where, so the owner's reveal can read them there.
  const located = plan.target === 'kube' ? {} : toscaLocators(plan);
  return plan.credentials.map((credential) => {
    const tosca = located[credential.id];
    return { ...structuredClone(credential), ...(tosca === undefined ? {} : { tosca }) };
  });
}

function linksOf(plan: Plan): LinkRecord[] {
  return plan.links.map((l) => ({
    id: l.id,
    title: l.title,
    component: l.component,
    service: l.service,
    port: l.port,
    path: l.path,
    scheme: l.scheme,
    expose: l.expose,
    url: l.url,
  }));
}
