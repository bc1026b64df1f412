/**
 * IM 2.0.0 answers `<address>:0` for every published container but the last
 * one it creates. Each published container gets a public network of its own
 * (IM/tosca/Tosca.py: `public_net`, `public_net_1`, …) and every container's
 * RADL lists all of the infrastructure's networks; when Kubernetes assigns a
 * node port, VirtualMachine.setOutPort records it in the *last* public
 * network of that RADL (its loop has no break), while the `endpoints`
 * attribute reads the container's *own* public network, which keeps port 0.
 * So the port IM was told is in the container's RADL, in its last public
 * network: the app reads it there and mends the link.
 */
import type { LinkRecord } from '../../inventory/record';
import type { ImClient } from './im-client';
import { outputName } from './outputs-links';

/** The node port IM recorded for `localPort` in this container's RADL (its last public network), if any. */
export function recordedNodePort(radl: readonly Record<string, unknown>[], localPort: number): number | undefined {
  const publicNets = radl.filter((item) => item.class === 'network' && item.outbound === 'yes');
  const outports = publicNets.at(-1)?.outports;
  if (typeof outports !== 'string') return undefined;
  // RADL's outports, comma-separated: "remote-local" as setOutPort writes them, "0/tcp-8888/tcp" as IM parsed the TOSCA.
  for (const entry of outports.split(',')) {
    const match = /^\s*(\d+)(?:\/tcp)?\s*-\s*(\d+)(?:\/tcp)?\s*$/.exec(entry);
    if (match !== null && Number(match[2]) === localPort && Number(match[1]) > 0) return Number(match[1]);
  }
  return undefined;
}

/** IM's system name for a TOSCA node: the node's name, "-" and eight characters of IM's own id. */
function isNodeSystem(system: string, node: string): boolean {
  return system.length === node.length + 9 && system.startsWith(`${node}-`) && /^[0-9a-z]{8}$/.test(system.slice(node.length + 1));
}

/**
 * The outputs with each `<address>:0` link mended from its container's RADL; `known` keeps mended ones across polls
 * (a container's node port does not change while it exists). Unmended outputs are left as IM gave them.
 */
export async function mendZeroPorts(
  client: Pick<ImClient, 'vmRadl'>,
  id: string,
  vms: readonly string[],
  links: readonly LinkRecord[],
  outputs: Readonly<Record<string, unknown>>,
  known: Map<string, string>,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const mended: Record<string, unknown> = { ...outputs };
  const zero = links.filter(
    (link) => typeof outputs[outputName(link.id)] === 'string' && /:0$/.test(outputs[outputName(link.id)] as string),
  );
  if (zero.length === 0) return mended;
  let radls: Record<string, unknown>[][] | undefined;
  for (const link of zero) {
    const name = outputName(link.id);
    const address = (outputs[name] as string).slice(0, -2);
    const key = `${id}/${link.id}/${address}`;
    const seen = known.get(key);
    if (seen !== undefined) {
      mended[name] = seen;
      continue;
    }
    radls ??= await Promise.all(vms.map((vm) => client.vmRadl(id, vm, signal === undefined ? {} : { signal })));
    // A replicated component's first container is <component>-0 (as im-layout.ts names it).
    const radl = radls.find((items) =>
      items.some(
        (item) =>
          item.class === 'system' &&
          typeof item.id === 'string' &&
          (isNodeSystem(item.id, link.component) || isNodeSystem(item.id, `${link.component}-0`)),
      ),
    );
    const port = radl === undefined ? undefined : recordedNodePort(radl, link.port);
    if (port === undefined) continue;
    mended[name] = `${address}:${port}`;
    known.set(key, `${address}:${port}`);
  }
  return mended;
}
