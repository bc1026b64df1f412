/**
 * The StatusSource of a kube environment: its namespace's share of the
 * cluster's watches, turned into status, rows and links.
 */
import { AfpError, toApiError } from '../errors';
import type { ClusterLease, ClusterRegistry } from './cluster-registry';
import type { NamespaceFactsSet } from './cluster-watch';
import { deriveKubeStatus, ownerWorkload, podProblemSaid, type Eviction } from './derive-status';
import { newestEventFirst } from './event-order';
import { withoutStartUpNoise } from './start-up-noise';
import type { EventFacts, IngressFacts, NodeFacts, PodFacts, ServiceFacts, WorkloadFacts } from './kube-objects';
import { resolveLinks } from './links';
import type { PortForwards } from './port-forward';
import type { EnvironmentRecord } from '../inventory/record';
import type { StatusSource, StatusSourceFactory } from './status-source';
import type { DriftView, EventView, IngressView, Observation, PodView, ServiceView, WorkloadView } from './views';
import { DriftCheck, type DriftCheckOptions } from './drift-check';
import type { DriftItem } from './drift';
import { emptySections } from './views';
import { clusterOf } from '../targets/kinds/cluster-of';

const EVENTS_SHOWN = 30;
const EVICTION_MEMORY_MS = 10 * 60_000;

export function kubeSourceFactory(registry: ClusterRegistry, forwards: PortForwards, drift: DriftCheckOptions = {}): StatusSourceFactory {
  return (record) => {
    const cluster = clusterOf(record.target);
    if (cluster === undefined) return undefined;
    let lease: ClusterLease;
    try {
      lease = registry.acquire(cluster);
    } catch (error) {
      return failedSource(toApiError(error).message);
    }
    return new KubeSource(record.id, cluster.namespace, lease, forwards, drift);
  };
}

/** A source that can only say why it cannot observe (e.g. the kubeconfig context is gone). */
function failedSource(message: string): StatusSource {
  const since = Date.now();
  return {
    start: (changed) => changed(),
    observe: () => ({ phase: 'Unknown', message, since, ...emptySections() }),
    dispose: () => undefined,
  };
}

class KubeSource implements StatusSource {
  private stopListening: (() => void) | undefined;
  private untrack: (() => void) | undefined;
  private changed: () => void = () => undefined;
  private lastPods: PodFacts[] = [];
  private evictions: Eviction[] = [];
  private record: EnvironmentRecord | undefined;
  private drift: DriftCheck | undefined;

  constructor(
    private readonly environmentId: string,
    private readonly namespace: string,
    private readonly lease: ClusterLease,
    private readonly forwards: PortForwards,
    private readonly driftOptions: DriftCheckOptions,
  ) {}

  start(changed: () => void): void {
    this.changed = changed;
    this.drift = new DriftCheck(this.lease.cluster.config, changed, this.driftOptions);
    this.stopListening = this.lease.cluster.onChange((namespace) => {
      if (namespace === this.namespace) this.drift?.soon();
      if (namespace === undefined || namespace === this.namespace) changed();
    });
    this.untrack = this.lease.cluster.track(this.namespace);
  }

  observe(record: EnvironmentRecord): Observation | undefined {
    this.record = record;
    const cluster = this.lease.cluster;
    const facts = cluster.facts(this.namespace);
    const nodes = cluster.nodeList();
    this.noteEvictions(facts.pods, nodes);
    const health = cluster.health();
    const drift = this.drift?.current(record) ?? [];
    if (health.reachable && this.drift?.ready(record) === false) return undefined;
    const status = deriveKubeStatus({ record, facts, cluster: health, evictions: this.evictions, drift });
    if (status === undefined) return undefined;
    const forwarded = new Map<string, string>();
    for (const link of record.links) {
      const open = this.forwards.get(this.forwardKey(link.id));
      if (open !== undefined) forwarded.set(link.id, open.url);
    }
    return {
      ...status,
      checkedAt: health.lastSeen,
      ...this.rows(facts),
      links: resolveLinks({
        links: record.links,
        services: facts.services,
        ingresses: facts.ingresses,
        pods: facts.pods,
        nodes,
        server: cluster.server,
        forwards: forwarded,
      }),
      drift: drift.map(driftView),
    };
  }

  async openLink(linkId: string): Promise<string> {
    const link = this.record?.links.find((l) => l.id === linkId);
    if (link === undefined) throw new AfpError('not_found', `The environment has no link "${linkId}".`, { field: 'linkId' });
    const cluster = this.lease.cluster;
    const open = await this.forwards.open(this.forwardKey(linkId), {
      kc: cluster.config,
      namespace: this.namespace,
      service: () => cluster.facts(this.namespace).services.find((s) => s.name === link.service),
      pods: () => cluster.facts(this.namespace).pods,
      port: link.port,
    });
    this.changed();
    return `${open.url}${link.path}`;
  }

  dispose(): void {
    this.drift?.dispose();
    this.stopListening?.();
    this.untrack?.();
    this.forwards.closeAll(`${this.environmentId}/`);
    this.lease.release();
  }

  private forwardKey(linkId: string): string {
    return `${this.environmentId}/${linkId}`;
  }

  /** Pods that vanished from a cordoned node were drained or evicted: remember, to explain their replacements. */
  private noteEvictions(pods: PodFacts[], nodes: NodeFacts[]): void {
    const now = Date.now();
    const cordoned = new Set(nodes.filter((n) => n.unschedulable).map((n) => n.name));
    const current = pods.filter((p) => !p.deleting);
    // Only a pod on a cordoned node can have been evicted: with none, no index of the pods is built (observe runs on every batch).
    if (cordoned.size > 0) {
      const present = new Set(current.map((p) => p.uid));
      for (const pod of this.lastPods) {
        if (present.has(pod.uid) || pod.nodeName === undefined || !cordoned.has(pod.nodeName)) continue;
        this.evictions.push({
          pod: pod.name,
          node: pod.nodeName,
          at: now,
          ...(pod.owner === undefined ? {} : { owner: ownerWorkload(pod) }),
        });
      }
    }
    this.evictions = this.evictions.filter((e) => now - e.at < EVICTION_MEMORY_MS);
    this.lastPods = current;
  }

  private rows(facts: NamespaceFactsSet): Pick<Observation, 'pods' | 'services' | 'ingresses' | 'workloads' | 'events'> {
    return {
      pods: facts.pods.map((p) => this.podView(p)),
      services: facts.services.map(serviceView),
      ingresses: facts.ingresses.map(ingressView),
      workloads: facts.workloads.map(workloadView),
      events: withoutStartUpNoise(facts.events, facts.pods).sort(newestEventFirst).slice(0, EVENTS_SHOWN).map(eventView),
    };
  }

  private podView(pod: PodFacts): PodView {
    const said = podProblemSaid(pod, this.evictions);
    const reason = said?.text;
    return {
      id: pod.uid,
      version: reason === undefined ? pod.resourceVersion : `${pod.resourceVersion}|${reason}`,
      name: pod.name,
      phase: pod.deleting ? 'Terminating' : pod.phase,
      ready: pod.ready,
      restarts: pod.restarts,
      createdAt: pod.createdAt,
      component: pod.component,
      node: pod.nodeName,
      ...(said === undefined ? {} : { reason: said.text, reasonSaid: said }),
    };
  }
}

function serviceView(s: ServiceFacts): ServiceView {
  return {
    id: s.uid,
    version: s.resourceVersion,
    name: s.name,
    type: s.type,
    ports: s.ports.map((p) => ({
      port: p.port,
      name: p.name,
      nodePort: p.nodePort,
    })),
  };
}

function ingressView(i: IngressFacts): IngressView {
  return {
    id: i.uid,
    version: i.resourceVersion,
    name: i.name,
    rules: i.paths.map((p) => ({
      host: p.host,
      path: p.path,
      service: p.service,
      url: `${i.tlsHosts.includes(p.host) ? 'https' : 'http'}://${p.host || '*'}${p.path}`,
    })),
  };
}

function workloadView(w: WorkloadFacts): WorkloadView {
  return {
    id: w.uid,
    version: w.resourceVersion,
    kind: w.kind,
    name: w.name,
    desired: w.desired,
    ready: w.ready,
    component: w.component,
  };
}

function driftView(d: DriftItem): DriftView {
  return {
    id: `${d.kind}/${d.name}/${d.field}`,
    version: `${d.expected}|${d.found}|${d.manager ?? ''}`,
    kind: d.kind,
    name: d.name,
    field: d.field,
    expected: d.expected,
    found: d.found,
    manager: d.manager,
  };
}

function eventView(e: EventFacts): EventView {
  return {
    id: e.uid,
    version: e.resourceVersion,
    type: e.type,
    reason: e.reason,
    message: e.message,
    object: `${e.object.kind}/${e.object.name}`,
    count: e.count,
    lastSeen: e.lastSeen,
  };
}
