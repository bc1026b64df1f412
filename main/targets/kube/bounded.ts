/**
 * Work on the items of a wave in parallel, at most `limit` at a time. Once the
 * signal aborts, nothing new starts; what is in flight is awaited, so every
 * item ends known: done, failed, or never started.
 */
export type Settled<R> = { status: 'fulfilled'; value: R } | { status: 'rejected'; reason: unknown } | { status: 'skipped' };

export async function runBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<Settled<R>[]> {
  const results: Settled<R>[] = items.map(() => ({ status: 'skipped' }));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && signal?.aborted !== true) {
      const index = next;
      next += 1;
      try {
        results[index] = { status: 'fulfilled', value: await work(items[index] as T, index) };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  const workers = Math.max(1, Math.min(limit, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
