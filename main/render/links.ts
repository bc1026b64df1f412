/**
 * What the user clicks: each template link resolved to its Service, port,
 * path and (with an ingress domain) its URL.
 */
import type { RenderedSections } from '../catalogue/schema/template';
import type { IngressRoute, LinkOptions } from './services';
import { serviceName, servicePort } from './services';
import type { PlanLink } from './types';

export function planLinks(sections: RenderedSections, routes: readonly IngressRoute[], options: LinkOptions): PlanLink[] {
  return (sections.links ?? []).flatMap((link) => {
    const port = sections.components[link.component]?.ports?.find((candidate) => candidate.name === link.port);
    if (port === undefined || port.expose === 'none') return [];
    const route = routes.find((candidate) => candidate.component === link.component && candidate.port.name === port.name);
    // An ingress port without an ingress domain is reached through its Service.
    const expose = route !== undefined ? 'ingress' : port.expose === 'nodeport' ? 'nodeport' : 'cluster';
    const path = link.path ?? port.path ?? '/';
    const scheme = route !== undefined && options.tls ? 'https' : 'http';
    const planned: PlanLink = {
      id: link.id ?? `${link.component}-${link.port}`,
      title: link.title,
      component: link.component,
      service: serviceName(link.component, port),
      port: servicePort(port),
      portName: port.name,
      path,
      scheme,
      expose,
    };
    if (link.description !== undefined) planned.description = link.description;
    if (route !== undefined) {
      planned.host = route.host;
      planned.url = `${scheme}://${route.host}${path}`;
    }
    return [planned];
  });
}
