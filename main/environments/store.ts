/**
 * What the operations need of the inventory: the durable record store
 * (main/tracking/inventory.ts) satisfies it; so does anything with the same
 * locked read-modify-write contract.
 */
import type { Inventory } from '../tracking/inventory';

export type EnvironmentStore = Pick<Inventory, 'get' | 'list' | 'create' | 'update' | 'remove'>;
