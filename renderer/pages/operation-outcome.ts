/**
 * How an operation ended, as the Deploy page shows it. The live `operation.done`
 * event is the best source, but an operation that ends before the page has
 * subscribed (a deploy refused at its first request, on a busy machine) never
 * sends it again: the environment's record then says how it ended. Whether a
 * failed deploy created anything is read from the record only once the record
 * has this operation's end, never from an answer fetched while it still ran.
 */
import type { AppEvent, EnvironmentDetail } from '../../main/api';

export type Done = Extract<AppEvent, { type: 'operation.done' }>;

export interface OperationView {
  done: Done | undefined;
  /** A deploy that failed or was cancelled before any object was applied: there is nothing to open. */
  neverCreated: boolean;
  /** The operation ended, but whether it created anything is not known yet. */
  undecided: boolean;
}

interface Inputs {
  operationId: string;
  environmentId: string;
  /** The kind the page was opened for, if it knows it. */
  kind: Done['kind'] | undefined;
  live: Done | undefined;
  record: EnvironmentDetail | undefined;
  /** The record's request failed with this code (not_found: the record is gone). */
  recordError: string | undefined;
}

export function operationView({ operationId, environmentId, kind, live, record, recordError }: Inputs): OperationView {
  const last = record?.summary.lastOperation;
  const recorded = last?.id === operationId && last.outcome !== 'running' ? last : undefined;
  const done = live ?? fromRecord(operationId, environmentId, recorded) ?? goneAfterDelete(operationId, environmentId, kind, recordError);
  const failedDeploy = done !== undefined && done.kind === 'deploy' && done.outcome !== 'succeeded';
  const settled = recorded !== undefined && record !== undefined;
  return {
    done,
    neverCreated: failedDeploy && settled && !record.objects.some((o) => o.state === 'applied'),
    undecided: failedDeploy && !settled && recordError === undefined,
  };
}

function fromRecord(
  operationId: string,
  environmentId: string,
  last: NonNullable<EnvironmentDetail['summary']['lastOperation']> | undefined,
): Done | undefined {
  if (last === undefined) return undefined;
  // An operation the app was stopped during ("interrupted") did not succeed.
  const outcome: Done['outcome'] = last.outcome === 'succeeded' || last.outcome === 'cancelled' ? last.outcome : 'failed';
  const base = { type: 'operation.done' as const, operationId, environmentId, kind: last.kind, outcome };
  if (last.message === undefined) return base;
  return outcome === 'succeeded' ? { ...base, readiness: last.message } : { ...base, error: { code: 'internal', message: last.message } };
}

/** A delete that ended before the page subscribed leaves no record to read: its absence is the outcome. */
function goneAfterDelete(
  operationId: string,
  environmentId: string,
  kind: Done['kind'] | undefined,
  recordError: string | undefined,
): Done | undefined {
  if (kind !== 'delete' || recordError !== 'not_found') return undefined;
  return { type: 'operation.done', operationId, environmentId, kind, outcome: 'succeeded' };
}
