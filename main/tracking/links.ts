/**
 * Where each link of an environment is reached, from what the cluster shows:
 * an Ingress rule for its Service and port (https when the host has TLS), else
 * a NodePort on a node's address, else a port-forward opened on demand.
 */
import type { IngressFacts, NodeFacts, PodFacts, ServiceFacts, ServicePort } from './kube-objects';
import type { LinkRecord } from '../inventory/record';
import type { LinkView } from './views';

export interface LinkInputs {
  links: readonly LinkRecord[];
  services: readonly ServiceFacts[];
  ingresses: readonly IngressFacts[];
  pods: readonly PodFacts[];
  nodes: readonly NodeFacts[];
  /** API server URL: the address of last resort for a NodePort. */
  server: string;
  /** Open port-forwards: link id → local URL base (http://127.0.0.1:port). */
  forwards: ReadonlyMap<string, string>;
}

export function resolveLinks(inputs: LinkInputs): LinkView[] {
  return inputs.links.map((link) => {
    const service = inputs.services.find((s) => s.name === link.service);
    const port = service === undefined ? undefined : servicePort(service, link);
    const ready = service !== undefined && backingPods(service, inputs.pods).some((p) => p.ready);
    const view = (via: LinkView['via'], url: string | undefined): LinkView => {
      const base: Omit<LinkView, 'version'> = {
        id: link.id,
        title: link.title,
        component: link.component,
        via,
        ready,
        url,
      };
      return { ...base, version: JSON.stringify(base) };
    };
    const ingress = ingressUrl(link, port, inputs.ingresses);
    if (ingress !== undefined) return view('ingress', ingress);
    if (port?.nodePort !== undefined && (service?.type === 'NodePort' || service?.type === 'LoadBalancer')) {
      return view('nodeport', `${link.scheme}://${hostPort(nodeAddress(inputs.nodes, inputs.server), port.nodePort)}${link.path}`);
    }
    if (link.url !== undefined && link.expose !== 'cluster') return view('url', link.url);
    const forwarded = inputs.forwards.get(link.id);
    return view('port-forward', forwarded === undefined ? undefined : `${forwarded}${link.path}`);
  });
}

export function servicePort(service: ServiceFacts, link: Pick<LinkRecord, 'port'>): ServicePort | undefined {
  return service.ports.find((p) => p.port === link.port) ?? (service.ports.length === 1 ? service.ports[0] : undefined);
}

/** Pods a Service selects (an empty selector selects none, as Kubernetes does). */
export function backingPods(service: ServiceFacts, pods: readonly PodFacts[]): PodFacts[] {
  const selector = Object.entries(service.selector);
  if (selector.length === 0) return [];
  return pods.filter((pod) => !pod.deleting && selector.every(([key, value]) => pod.labels[key] === value));
}

function ingressUrl(link: LinkRecord, port: ServicePort | undefined, ingresses: readonly IngressFacts[]): string | undefined {
  for (const ingress of ingresses) {
    for (const rule of ingress.paths) {
      if (rule.service !== link.service) continue;
      const samePort =
        rule.port === link.port ||
        (port !== undefined && (rule.port === port.port || (port.name !== undefined && rule.port === port.name)));
      if (!samePort || rule.host === '') continue;
      const scheme = ingress.tlsHosts.includes(rule.host) || ingress.tlsHosts.some((h) => wildcardMatch(h, rule.host)) ? 'https' : 'http';
      const path = link.path.startsWith(rule.path) ? link.path : rule.path;
      return `${scheme}://${rule.host}${path}`;
    }
  }
  return undefined;
}

function wildcardMatch(pattern: string, host: string): boolean {
  return pattern.startsWith('*.') && host.endsWith(pattern.slice(1)) && !host.slice(0, -pattern.length + 1).includes('.');
}

/** A Ready, schedulable node's external address, else its internal one, else the API server's host. */
export function nodeAddress(nodes: readonly NodeFacts[], server: string): string {
  const usable = [...nodes].sort(
    (a, b) => Number(b.ready && !b.unschedulable) - Number(a.ready && !a.unschedulable) || a.name.localeCompare(b.name),
  );
  const external = usable.find((n) => n.externalIP !== undefined)?.externalIP;
  const internal = usable.find((n) => n.internalIP !== undefined)?.internalIP;
  if (external !== undefined) return external;
  if (internal !== undefined) return internal;
  try {
    return new URL(server).hostname;
  } catch {
    return '127.0.0.1';
  }
}

function hostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}
