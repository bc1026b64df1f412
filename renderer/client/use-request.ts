import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { RequestInput, RequestName, RequestOutput } from '../../main/api';
import { call, type ApiError } from './client';

/** A contract request as a cached query, keyed by its name and input. */
/** `enabled: false` asks nothing (a page that needs the answer only in some of its modes). */
export function useRequest<K extends RequestName>(
  name: K,
  input: RequestInput<K>,
  options: { enabled?: boolean; refetchIntervalMs?: number } = {},
): UseQueryResult<RequestOutput<K>, ApiError> {
  return useQuery<RequestOutput<K>, ApiError>({
    queryKey: [name, input],
    queryFn: () => call(name, input),
    enabled: options.enabled ?? true,
    ...(options.refetchIntervalMs === undefined ? {} : { refetchInterval: options.refetchIntervalMs }),
  });
}
