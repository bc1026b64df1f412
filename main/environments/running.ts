/**
 * The operations running in this process: each with its abort controller, so
 * it can be cancelled by id, and at most one per environment.
 */
import { AfpError } from '../errors';
import type { OperationKind } from './record-steps';

export interface RunningOperation {
  operationId: string;
  environmentId: string;
  name: string;
  kind: OperationKind;
  startedAt: string;
  controller: AbortController;
}

export class RunningOperations {
  private readonly byId = new Map<string, RunningOperation>();

  /** Registers an operation; refuses a second one on the same environment. */
  add(operation: RunningOperation): void {
    const busy = [...this.byId.values()].find((op) => op.environmentId === operation.environmentId);
    if (busy !== undefined)
      throw new AfpError(
        'locked',
        `Environment ${operation.name} is busy: a ${busy.kind} (${busy.operationId}) is running; wait for it or cancel it.`,
      );
    this.byId.set(operation.operationId, operation);
  }

  remove(operationId: string): void {
    this.byId.delete(operationId);
  }

  get(operationId: string): RunningOperation | undefined {
    return this.byId.get(operationId);
  }

  list(): RunningOperation[] {
    return [...this.byId.values()];
  }

  /** Asks the operation to stop between requests; false when no such operation runs. */
  cancel(operationId: string): boolean {
    const operation = this.byId.get(operationId);
    if (operation === undefined) return false;
    operation.controller.abort();
    return true;
  }
}
