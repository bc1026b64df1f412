/**
 * The query cache obeys the contract's cache rules (main/api.ts): an event's
 * stale requests are asked again, and an event that carries a new answer
 * replaces the cached one. The rules are declared and tested there; this
 * only applies them to react-query's cache.
 */
import type { QueryClient } from '@tanstack/react-query';
import { freshAnswer, staleAfter, type AppEvent, type RequestName } from '../../main/api';

export function applyCacheRules(queries: QueryClient, event: AppEvent): void {
  const fresh = freshAnswer(event);
  if (fresh !== undefined) queries.setQueryData([fresh.request, {}], fresh.answer);
  const stale = staleAfter(event);
  if (stale.requests.length === 0) return;
  const names = new Set<RequestName>(stale.requests);
  void queries.invalidateQueries({
    predicate: (query) => names.has(query.queryKey[0] as RequestName),
    refetchType: stale.everywhere === true ? 'all' : 'active',
  });
}
