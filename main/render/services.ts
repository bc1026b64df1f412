/**
 * A component's ports become Services (grouped by service name; NodePort when
 * any port asks for it) and, for ports exposed by ingress, one Ingress each.
 */
import { createHash } from 'node:crypto';
import type { Component, ComponentPort } from '../catalogue/schema/components';
import { selectorLabels } from './identity';
import type { KubeObject, PlanEnvironment } from './types';

export interface LinkOptions {
  ingressDomain?: string;
  tls: boolean;
  ingressClassName?: string;
}

export interface IngressRoute {
  component: string;
  port: ComponentPort;
  service: string;
  host: string;
  path: string;
  ingress: string;
}

export function serviceName(component: string, port: ComponentPort): string {
  return port.service ?? component;
}

export function servicePort(port: ComponentPort): number {
  return port.servicePort ?? port.port;
}

export function services(name: string, component: Component, environment: PlanEnvironment, labels: Record<string, string>): KubeObject[] {
  const byService = new Map<string, ComponentPort[]>();
  for (const port of component.ports ?? []) {
    if (port.expose === 'none') continue;
    const service = serviceName(name, port);
    byService.set(service, [...(byService.get(service) ?? []), port]);
  }
  return [...byService].map(([service, ports]) => {
    const nodePort = ports.some((port) => port.expose === 'nodeport');
    return {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: service, namespace: environment.namespace, labels },
      spec: {
        type: nodePort ? 'NodePort' : 'ClusterIP',
        selector: selectorLabels(environment, name),
        ports: ports.map((port) => ({
          name: port.name,
          port: servicePort(port),
          targetPort: port.name,
          protocol: port.protocol ?? 'TCP',
          ...(nodePort && port.nodePort !== undefined ? { nodePort: port.nodePort } : {}),
        })),
      },
    };
  });
}

/**
 * The routes of the component's ingress ports. Only with an ingress domain:
 * without a host, several apps would all claim "/" on the controller, so such
 * ports stay reachable through their Service (and a port-forward) instead.
 */
export function ingressRoutes(name: string, component: Component, environment: PlanEnvironment, options: LinkOptions): IngressRoute[] {
  if (options.ingressDomain === undefined) return [];
  const domain = options.ingressDomain;
  const ports = (component.ports ?? []).filter((port) => port.expose === 'ingress');
  return ports.map((port) => {
    const service = serviceName(name, port);
    const several = ports.filter((other) => serviceName(name, other) === service).length > 1;
    const ingress = several ? `${service}-${port.name}` : service;
    return {
      component: name,
      port,
      service,
      path: port.path ?? '/',
      ingress,
      host: `${hostLabel(`${ingress}-${environment.namespace}`)}.${domain}`,
    };
  });
}

export function ingress(
  route: IngressRoute,
  environment: PlanEnvironment,
  options: LinkOptions,
  labels: Record<string, string>,
): KubeObject {
  const tls = options.tls;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: route.ingress, namespace: environment.namespace, labels },
    spec: {
      ...(options.ingressClassName === undefined ? {} : { ingressClassName: options.ingressClassName }),
      ...(tls ? { tls: [{ hosts: [route.host], secretName: `${route.ingress}-tls` }] } : {}),
      rules: [
        {
          host: route.host,
          http: {
            paths: [
              {
                path: route.path,
                pathType: 'Prefix',
                backend: { service: { name: route.service, port: { number: servicePort(route.port) } } },
              },
            ],
          },
        },
      ],
    },
  };
}

// A DNS label holds 63 characters; longer ones keep their start and a short hash so they stay unique.
function hostLabel(label: string): string {
  if (label.length <= 63) return label;
  const hash = createHash('sha256').update(label).digest('hex').slice(0, 8);
  return `${label.slice(0, 54).replace(/-+$/, '')}-${hash}`;
}
