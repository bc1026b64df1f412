/**
 * One look at an environment's live status, for `afp status`: the same
 * sources and status rules as the app's tracking (main/app/environments-core.ts
 * chooses them), started for this environment only and stopped after the
 * first answer or the timeout.
 */
import { ClusterRegistry } from '../tracking/cluster-registry';
import { kubeSourceFactory } from '../tracking/kube-source';
import { PortForwards } from '../tracking/port-forward';
import type { EnvironmentRecord } from '../inventory/record';
import type { Observation } from '../tracking/views';
import type { StatusReaders } from './environments-core';

/** The target's answer, or undefined when none came in time (or no source can ask it, e.g. IM while signed out). */
export async function observeOnce(record: EnvironmentRecord, readers: StatusReaders, timeoutMs = 10_000): Promise<Observation | undefined> {
  const clusters = new ClusterRegistry({ kubeConfigFor: readers.kubeConfigFor });
  const forwards = new PortForwards();
  const factories = [kubeSourceFactory(clusters, forwards), ...readers.sources];
  const source = factories.reduce<ReturnType<(typeof factories)[number]>>((found, factory) => found ?? factory(record), undefined);
  try {
    if (source === undefined) return undefined;
    source.start(() => undefined);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = source.observe(record);
      if (seen !== undefined || Date.now() > deadline) return seen;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    source?.dispose();
    forwards.closeAll();
    clusters.dispose();
  }
}
