/**
 * How IM's Kubernetes connector will lay out each component: one container
 * node per replica (the connector runs one replica per container), and the
 * order of its ports (published ones as NodePort, the first ingress port as
 * the one IM routes an Ingress to), which fixes the `endpoints` indexes.
 */
import type { ComponentPort } from '../../catalogue/schema/components';
import type { KubeObject, Plan, PlanComponent } from '../types';
import type { ToscaPort } from './types';

export interface ComponentLayout {
  component: PlanComponent;
  nodes: string[];
  /** True when some port is published (NodePort): IM then publishes all its ports. */
  published: boolean;
  /** Ports as listed to IM; an `endpoints` index is a position in this list. */
  ports: ComponentPort[];
  ingressPorts: ComponentPort[];
  /** Where IM should route an Ingress, for the first ingress port, when the plan has an ingress domain. */
  endpoint?: string;
}

export function componentLayouts(plan: Plan): Map<string, ComponentLayout> {
  const layouts = new Map<string, ComponentLayout>();
  for (const component of plan.components) {
    const replicas = component.replicas ?? 1;
    const nodes = replicas === 1 ? [component.name] : Array.from({ length: replicas }, (_, index) => `${component.name}-${index}`);
    const visible = (component.ports ?? []).filter((port) => port.expose !== 'none');
    const ingressPorts = visible.filter((port) => port.expose === 'ingress');
    const nodePorts = visible.filter((port) => port.expose === 'nodeport');
    const clusterPorts = visible.filter((port) => port.expose === undefined || port.expose === 'cluster');
    const published = ingressPorts.length + nodePorts.length > 0;
    const layout: ComponentLayout = {
      component,
      nodes,
      published,
      ports: published ? [...ingressPorts, ...nodePorts, ...clusterPorts] : clusterPorts,
      ingressPorts,
    };
    const first = ingressPorts[0];
    const host = first === undefined ? undefined : ingressHost(plan.objects, component.name, first);
    if (first !== undefined && host !== undefined)
      layout.endpoint = `${plan.linkOptions.tls ? 'https' : 'http'}://${host}${first.path ?? '/'}`;
    layouts.set(component.name, layout);
  }
  return layouts;
}

/** The host the kube rendering gave this port's Ingress, so both targets publish the same address. */
function ingressHost(objects: readonly KubeObject[], component: string, port: ComponentPort): string | undefined {
  const number = port.servicePort ?? port.port;
  for (const object of objects) {
    if (object.kind !== 'Ingress' || object.metadata.labels?.['app.kubernetes.io/component'] !== component) continue;
    const rules =
      (object.spec as { rules?: { host?: string; http?: { paths?: { backend?: { service?: { port?: { number?: number } } } }[] } }[] })
        .rules ?? [];
    for (const rule of rules) {
      if (rule.http?.paths?.some((path) => path.backend?.service?.port?.number === number)) return rule.host;
    }
  }
  return undefined;
}

export function toscaPorts(layout: ComponentLayout): ToscaPort[] {
  return layout.ports.map((port, index) => ({
    protocol: port.protocol === 'UDP' ? 'udp' : 'tcp',
    target: port.port,
    ...(layout.published && port.expose === 'nodeport' && port.nodePort !== undefined && layout.nodes.length === 1
      ? { source: port.nodePort }
      : {}),
    ...(index === 0 && layout.endpoint !== undefined ? { endpoint: layout.endpoint } : {}),
  }));
}

/**
 * The order of a published container's `endpoints` once IM has created its
 * Service (positions into `ports`). IM 2.0's connector records each node port
 * Kubernetes assigned with VirtualMachine.setOutPort, which moves that port
 * to the front of the list, in the Service's order: the assigned ones end up
 * reversed, before those whose node port the document fixed. Verified on the
 * test bed (test/integration/targets-im).
 */
export function publishedEndpointOrder(ports: readonly ToscaPort[]): number[] {
  const positions = ports.map((port, index) => ({ port, index }));
  const assigned = positions
    .filter(({ port }) => port.source === undefined)
    .map(({ index }) => index)
    .reverse();
  const fixed = positions.filter(({ port }) => port.source !== undefined).map(({ index }) => index);
  return [...assigned, ...fixed];
}
