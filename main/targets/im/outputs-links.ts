/**
 * IM's TOSCA outputs as the environment's links. renderTosca names the
 * output of link `<id>` `<id with - as _>_endpoint`. IM answers `<node
 * address>:<node port>` for a published port, a URL for one behind an
 * Ingress, and `<service>:<port>` for one reachable only inside the cluster,
 * which no click can open from the user's machine. The record's `expose`
 * cannot tell them apart: IM publishes every port of a container once one is.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { LinkRecord } from '../../inventory/record';
import type { LinkView } from '../../tracking/views';

export function outputName(linkId: string): string {
  return `${linkId.replace(/-/g, '_')}_endpoint`;
}

export function linksFromOutputs(links: readonly LinkRecord[], outputs: Readonly<Record<string, unknown>>, ready: boolean): LinkView[] {
  return links.map((link) => {
    const value = outputs[outputName(link.id)];
    const text = typeof value === 'string' ? value : undefined;
    const view: LinkView = { id: link.id, version: '', title: link.title, component: link.component, via: 'url', ready };
    if (text !== undefined && /^https?:\/\//.test(text)) {
      view.url = text;
      view.via = link.expose === 'ingress' ? 'ingress' : 'url';
    } else if (text !== undefined && isPublic(text, link)) {
      view.url = `${link.scheme}://${text}${link.path.startsWith('/') ? link.path : `/${link.path}`}`;
      view.via = 'nodeport';
    } else if (text !== undefined) {
      view.title = `${link.title} (inside the cluster only: ${text})`;
    } else if (link.url !== undefined) {
      view.url = link.url;
    }
    view.version = createHash('sha256')
      .update(JSON.stringify([view.title, view.url ?? '', view.via, ready]))
      .digest('hex')
      .slice(0, 16);
    return view;
  });
}

/** IM's public endpoint is the node's IP and a node port; its private one the Service's name and the port itself. */
function isPublic(endpoint: string, link: LinkRecord): boolean {
  const match = /^(.*):(\d+)$/.exec(endpoint);
  if (match === null) return false;
  const host = (match[1] ?? '').replace(/^\[|\]$/g, '');
  return isIP(host) !== 0 || Number(match[2]) !== link.port;
}
