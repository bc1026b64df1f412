import type { PlanRequest } from '../main/api';

/**
 * Where the user is; pages that act on a template carry its name and the values chosen so far,
 * and `environmentId` when they change an environment that exists rather than make a new one.
 */
export type Route =
  | { page: 'catalogue' }
  | { page: 'environments' }
  | { page: 'settings' }
  | { page: 'configure'; template: string; values?: PlanRequest['values']; name?: string; environmentId?: string }
  | { page: 'review'; request: PlanRequest; environmentId?: string }
  | { page: 'deploy'; operationId: string; environmentId: string; kind?: 'deploy' | 'update' | 'delete' }
  | { page: 'environment'; id: string }
  | { page: 'signin' };

export type Navigate = (route: Route) => void;

/** The sidebar entry a route belongs to. */
export function section(route: Route): 'catalogue' | 'environments' | 'settings' | undefined {
  if (route.page === 'signin') return undefined;
  if (route.page === 'environments' || route.page === 'settings') return route.page;
  if (route.page === 'deploy' || route.page === 'environment') return 'environments';
  if ((route.page === 'configure' || route.page === 'review') && route.environmentId !== undefined) return 'environments';
  return 'catalogue';
}
