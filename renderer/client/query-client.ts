import { QueryClient } from '@tanstack/react-query';
import type { ApiError } from './client';

/** Answers come from our own main process: no refetch on focus, one retry only for an unreachable app. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      refetchOnWindowFocus: false,
      staleTime: 5_000,
      retry: (failures, error) => failures < 1 && (error as ApiError).code === 'unavailable',
    },
  },
});
