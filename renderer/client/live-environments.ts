import type { QueryClient } from '@tanstack/react-query';
import type { AppEvent, EnvironmentDetail, Sections } from '../../main/api';

type Batch = Extract<AppEvent, { type: 'environments.batch' }>;
const SECTIONS = ['pods', 'services', 'ingresses', 'workloads', 'events', 'links'] as const;

/** Applies one batch of live changes to the cached environment pages: rows by id, only what changed. */
export function applyBatch(queries: QueryClient, batch: Batch): void {
  let listChanged = false;
  for (const delta of batch.deltas) {
    // The list shows status and links; other rows only change the environment's own page.
    if (delta.untracked === true || delta.status !== undefined || delta.upserted?.links !== undefined || delta.removed?.links !== undefined)
      listChanged = true;
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
  if (listChanged) void queries.invalidateQueries({ queryKey: ['environments.list'] });
}
