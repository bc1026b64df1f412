import { useCallback, useEffect, useState } from 'react';
import type { RequestInput, RequestName, RequestOutput } from '../../main/api';
import { ApiError, call } from './client';

export interface RequestState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload(): void;
}

/** Runs a contract request when `key` changes; the last answer wins. */
export function useRequest<K extends RequestName>(name: K, input: RequestInput<K>, key = ''): RequestState<RequestOutput<K>> {
  const [state, setState] = useState<{ data?: RequestOutput<K>; error?: ApiError; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const inputKey = JSON.stringify(input);

  useEffect(() => {
    let live = true;
    setState((previous) => ({ ...previous, loading: true }));
    call(name, JSON.parse(inputKey) as RequestInput<K>).then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) =>
        live && setState({ error: error instanceof ApiError ? error : new ApiError('internal', String(error)), loading: false }),
    );
    return () => {
      live = false;
    };
  }, [name, inputKey, key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
