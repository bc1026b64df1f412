/**
 * Where an environment's live state comes from. The tracker is generic over
 * sources: kube environments are served by watches (kube-source.ts), IM and
 * dispatcher environments by polling (pollingSource below, with the IM client
 * supplied by targets/im).
 */
import { backoffDelay, type BackoffOptions } from '../kube/backoff';
import type { EnvironmentRecord } from '../inventory/record';
import type { Observation } from './views';

export interface StatusSource {
  /** Begins observing; `changed` is called whenever observe() may answer differently (cheap: the tracker batches). */
  start(changed: () => void): void;
  /** The environment as it is now, or undefined before the first answer. `record` is the latest inventory record. */
  observe(record: EnvironmentRecord): Observation | undefined;
  /** Opens a link that has no URL yet (a port-forward); resolves with its URL. */
  openLink?(linkId: string): Promise<string>;
  dispose(): void;
}

/** Makes the source for a record, or undefined when this factory does not serve its target. */
export type StatusSourceFactory = (record: EnvironmentRecord) => StatusSource | undefined;

export interface PollingOptions {
  /** One poll; throws when the target cannot be reached. */
  poll: (signal: AbortSignal) => Promise<Omit<Observation, 'checkedAt'>>;
  /**
   * Time between successful polls. IM refreshes its VM state every
   * VM_INFO_UPDATE_FREQUENCY (10 s by default): polling faster only loads it.
   */
  intervalMs?: number;
  backoff?: BackoffOptions;
  /** The observation while the target does not answer. */
  unreachable?: (error: unknown, since: number) => Omit<Observation, 'checkedAt'>;
}

export const IM_MIN_INTERVAL_MS = 10_000;

/** A StatusSource that polls: never faster than intervalMs, backing off (with jitter, up to the cap) while polls fail. */
export function pollingSource(options: PollingOptions): StatusSource {
  const interval = Math.max(options.intervalMs ?? IM_MIN_INTERVAL_MS, IM_MIN_INTERVAL_MS);
  const backoff = options.backoff ?? { initialMs: interval, maxMs: 6 * interval };
  const stop = new AbortController();
  let latest: Observation | undefined;
  let started = false;

  const loop = async (changed: () => void): Promise<void> => {
    let failures = 0;
    let failingSince: number | undefined;
    while (!stop.signal.aborted) {
      try {
        const observed = await options.poll(stop.signal);
        failures = 0;
        failingSince = undefined;
        latest = { ...observed, checkedAt: Date.now() };
      } catch (error) {
        if (stop.signal.aborted) return;
        failures += 1;
        failingSince ??= Date.now();
        const fallback = options.unreachable?.(error, failingSince) ?? {
          phase: 'Unknown' as const,
          message: `Unreachable since ${new Date(failingSince).toISOString()}: ${error instanceof Error ? error.message : String(error)}`,
          since: failingSince,
          pods: [],
          services: [],
          ingresses: [],
          workloads: [],
          events: [],
          links: latest?.links ?? [],
          drift: [],
        };
        latest = { ...fallback, ...(latest?.checkedAt === undefined ? {} : { checkedAt: latest.checkedAt }) };
      }
      changed();
      try {
        await delay(failures === 0 ? interval : Math.max(interval, backoffDelay(failures, backoff)), stop.signal);
      } catch {
        return;
      }
    }
  };

  return {
    start(changed) {
      if (started) return;
      started = true;
      void loop(changed);
    },
    observe: () => latest,
    dispose: () => stop.abort(),
  };
}

/** A pause that ends early (rejecting) when `signal` aborts. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('stopped'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = (): void => {
      clearTimeout(timer);
      reject(new Error('stopped'));
    };
    signal.addEventListener('abort', stop, { once: true });
  });
}
