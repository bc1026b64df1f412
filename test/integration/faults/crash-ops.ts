/**
 * The inventory writes of the crash test, as a fixed sequence both the driver
 * (which performs them) and the test (which checks what survived) can replay.
 */
import type { EnvironmentRecord } from '../../../main/inventory/record';

export const SLOTS = 4;

export interface InventoryOp {
  kind: 'upsert' | 'remove';
  slot: number;
  /** Padding, so records differ in size and the file grows and shrinks. */
  pad: number;
}

export function inventoryOp(op: number): InventoryOp {
  return { kind: op % 9 === 8 ? 'remove' : 'upsert', slot: op % SLOTS, pad: (op * 37) % 1500 };
}

export function writerPrefix(writer: string): string {
  return `crash-${writer}-`;
}

/** What a writer's records hold after ops 0 … count-1: slot → seq of its last upsert, or absent. */
export function expectedAfter(count: number): Map<number, number> {
  const slots = new Map<number, number>();
  for (let op = 0; op < count; op += 1) {
    const step = inventoryOp(op);
    if (step.kind === 'remove') slots.delete(step.slot);
    else slots.set(step.slot, op);
  }
  return slots;
}

export function crashRecord(name: string, op: number): EnvironmentRecord {
  const at = new Date().toISOString();
  return {
    id: `id-${name}`,
    name,
    template: { name: 'lab-dask', version: '1.0.0' },
    values: { seq: op, pad: 'x'.repeat(inventoryOp(op).pad) },
    target: { kind: 'kube', context: 'crash', server: 'https://127.0.0.1:1', namespace: name },
    createdAt: at,
    updatedAt: at,
    status: { phase: 'Deploying', since: at },
    objects: [{ apiVersion: 'v1', kind: 'Namespace', name, state: 'planned' }],
    links: [],
    // A running operation: the next process to open the inventory finds it interrupted (a write at open).
    operations: [{ id: `op-${op}`, kind: 'deploy', startedAt: at, outcome: 'running' }],
  };
}
