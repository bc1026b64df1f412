/**
 * The query cache obeys the contract's cache rules (main/api.ts): an event's
 * stale requests are asked again, and an event that carries a new answer
 * replaces the cached one. The rules are declared and tested there; this
 * only applies them to react-query's cache.
 */
import type { Query, QueryClient } from '@tanstack/react-query';
import { freshAnswer, staleAfter, type AppEvent, type RequestName } from '../../main/api';

export function applyCacheRules(queries: QueryClient, event: AppEvent): void {
  const fresh = freshAnswer(event);
  if (fresh !== undefined) queries.setQueryData([fresh.request, {}], fresh.answer);
  const stale = staleAfter(event);
  if (stale.requests.length === 0) return;
  const names = new Set<RequestName>(stale.requests);
  const named = (query: Query): boolean => names.has(query.queryKey[0] as RequestName);
  const refetchType = stale.everywhere === true ? 'all' : 'active';
  // A first answer still on its way may have been read before the event: react-query joins a refetch to a fetch of a
  // query without data instead of starting anew, so that answer would stand (a Deploy page opened on an operation that
  // ended at once kept "running" for good). Such fetches are cancelled first, so the refetch reads after the event.
  const firstInFlight = (query: Query): boolean => named(query) && query.state.data === undefined && query.state.fetchStatus === 'fetching';
  const refetch = (): Promise<void> => queries.invalidateQueries({ predicate: named, refetchType });
  if (queries.getQueryCache().findAll({ predicate: firstInFlight }).length === 0) void refetch();
  else void queries.cancelQueries({ predicate: firstInFlight }).then(refetch);
}
