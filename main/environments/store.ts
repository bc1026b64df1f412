/**
 * What the operations need of the inventory: the durable record store
 * (main/inventory/inventory.ts) satisfies it; so does anything with the same
 * locked read-modify-write contract.
 */
import type { Inventory } from '../inventory/inventory';

export type EnvironmentStore = Pick<Inventory, 'get' | 'list' | 'create' | 'update' | 'remove'>;
