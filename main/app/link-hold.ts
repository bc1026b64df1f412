/**
 * One link of an environment, reachable from this machine for as long as it
 * is held: the same sources and link rules as the app's tracking, started for
 * this environment only; a link with a known URL (Ingress, NodePort, IM
 * output) is answered at once, a cluster-only one through a port-forward on
 * 127.0.0.1 that stays open, however idle, until release() (afp open).
 */
import type { LinkView } from '../contract/environments';
import { AfpError } from '../errors';
import type { EnvironmentRecord } from '../inventory/record';
import { ClusterRegistry } from '../tracking/cluster-registry';
import { kubeSourceFactory } from '../tracking/kube-source';
import { PortForwards } from '../tracking/port-forward';
import type { StatusReaders } from './environments-core';

/** setTimeout's largest delay: the forward outlives any session rather than closing when idle. */
const NEVER_IDLE_MS = 2 ** 31 - 1;

export interface HeldLink {
  link: LinkView;
  url: string;
  /** A port-forward holds the URL open (until release). */
  forwarded: boolean;
  release(): void;
}

export async function holdLink(
  record: EnvironmentRecord,
  readers: StatusReaders,
  linkId: string | undefined,
  timeoutMs = 30_000,
): Promise<HeldLink> {
  const clusters = new ClusterRegistry({ kubeConfigFor: readers.kubeConfigFor });
  const forwards = new PortForwards({ idleMs: NEVER_IDLE_MS });
  const factories = [kubeSourceFactory(clusters, forwards), ...readers.sources];
  const source = factories.reduce<ReturnType<(typeof factories)[number]>>((found, factory) => found ?? factory(record), undefined);
  const release = (): void => {
    source?.dispose();
    forwards.closeAll();
    clusters.dispose();
  };
  try {
    if (source === undefined)
      throw new AfpError('unavailable', `Nothing can tell where ${record.name}'s links are now (sign in with afp login?).`);
    source.start(() => undefined);
    const link = await readyLink(record, () => source.observe(record)?.links, linkId, timeoutMs);
    if (link.via !== 'port-forward' && link.url !== undefined) return { link, url: link.url, forwarded: false, release };
    if (source.openLink === undefined)
      throw new AfpError('unsupported', `Link "${link.id}" has no URL and this target cannot port-forward.`);
    return { link, url: await source.openLink(link.id), forwarded: true, release };
  } catch (error) {
    release();
    throw error;
  }
}

/** Waits for the link to be known and Ready (a pod behind it); names the links there are when `linkId` is none of them. */
async function readyLink(
  record: EnvironmentRecord,
  links: () => LinkView[] | undefined,
  linkId: string | undefined,
  timeoutMs: number,
): Promise<LinkView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = links();
    if (seen !== undefined) {
      const names = seen.map((l) => `${l.id} (${l.title})`).join(', ') || 'none';
      if (linkId === undefined && seen.length !== 1)
        throw new AfpError('invalid_input', `Name a link of ${record.name}: ${names}.`, { field: 'link' });
      const wanted = linkId?.toLowerCase();
      const link = wanted === undefined ? seen[0] : seen.find((l) => l.id === linkId || l.title.toLowerCase() === wanted);
      if (link === undefined)
        throw new AfpError('not_found', `${record.name} has no link "${linkId ?? ''}"; its links: ${names}.`, { field: 'link' });
      if (link.ready) return link;
      if (Date.now() > deadline)
        throw new AfpError(
          'unavailable',
          `${link.title} of ${record.name} has no Ready pod behind it yet (afp status ${record.name} says why).`,
        );
    } else if (Date.now() > deadline) {
      throw new AfpError('timeout', `The cluster did not answer about ${record.name} within ${Math.round(timeoutMs / 1000)} s.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
