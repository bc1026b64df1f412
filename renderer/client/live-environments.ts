import type { QueryClient } from '@tanstack/react-query';
import { SECTIONS, type AppEvent, type EnvironmentDetail, type Sections } from '../../main/api';

type Batch = Extract<AppEvent, { type: 'environments.batch' }>;

/**
 * Applies one batch of live changes to the cached environment pages: rows by
 * id, only what changed. Whether the list is stale too is a cache rule (main/api.ts).
 */
export function applyBatch(queries: QueryClient, batch: Batch): void {
  for (const delta of batch.deltas) {
    queries.setQueryData<EnvironmentDetail>(['environments.get', { id: delta.environmentId }], (current) => {
      if (current === undefined) return current;
      const live: Sections = { ...current.live };
      for (const section of SECTIONS) {
        const upserted = delta.upserted?.[section];
        const removed = delta.removed?.[section];
        if (upserted === undefined && removed === undefined) continue;
        const rows = new Map<string, Sections[typeof section][number]>(live[section].map((row) => [row.id, row]));
        for (const id of removed ?? []) rows.delete(id);
        for (const row of upserted ?? []) rows.set(row.id, row);
        (live as Record<string, unknown>)[section] = [...rows.values()];
      }
      return { ...current, live, summary: delta.status === undefined ? current.summary : { ...current.summary, status: delta.status } };
    });
  }
}
