/**
 * The real nodes' network, made of namespaces only the bed owns, so nothing on
 * the host is touched but one veth of ours: a "switch" namespace holding a
 * bridge; one namespace per node, cabled to the bridge; and the host's end of
 * one more veth on it (the address the API server is reached at and advertises).
 * Every address is private and lives only on these interfaces. Pods of node i
 * get 10.(128+k).i.0/24; the nodes route each other's pod ranges, and the host
 * routes them too (the API server's pod and service proxy reach pods). Deleting
 * the namespaces deletes every interface, route and iptables rule made inside.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** Bed networks 0…63: pods in 10.128.0.0/10's first quarter, node links in 10.192.0.0/10. */
const MAX_BEDS = 64;

export interface NodeAddressing {
  index: number;
  netns: string;
  ip: string;
  podCidr: string;
}

export interface BedNetwork {
  /** The bed network's number k: every name and address below derives from it. */
  index: number;
  switchNetns: string;
  hostInterface: string;
  /** The host's address on the bed network: kubelets reach the API server here. */
  hostIp: string;
  /** The switch namespace's own address: the bed's servers for pods (CoreDNS) listen here. */
  servicesIp: string;
  /** Every node's pods, for kube-proxy's clusterCIDR. */
  clusterCidr: string;
  nodes: NodeAddressing[];
}

export function nodeAddressing(index: number, node: number): NodeAddressing {
  return { index: node, netns: `afp${index}-n${node}`, ip: `10.${192 + index}.0.${10 + node}`, podCidr: `10.${128 + index}.${node}.0/24` };
}

export async function ip(...args: string[]): Promise<string> {
  try {
    return (await run('ip', args)).stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`ip ${args.join(' ')}: ${stderr.trim() || String(error)}`, { cause: error });
  }
}

/** Runs a command inside a namespace the bed made. */
export function inNetns(netns: string, command: string, ...args: string[]): Promise<string> {
  return ip('netns', 'exec', netns, command, ...args);
}

/**
 * Claims the first free bed network (its switch namespace's name is the lock),
 * hands it to `record` before creating anything else (so a crashed bed's
 * leftovers can be found: node/leftovers.ts), and cables `count` nodes to it.
 */
export async function createBedNetwork(count: number, record: (network: BedNetwork) => Promise<void>): Promise<BedNetwork> {
  // kube-proxy's rules must see traffic between pods on one bridge (a pod reaching a Service backed on its own node).
  if (!existsSync('/proc/sys/net/bridge'))
    throw new Error('the kernel module br_netfilter is not loaded (no /proc/sys/net/bridge): run `modprobe br_netfilter` as root');
  let index = -1;
  for (let k = 0; k < MAX_BEDS && index < 0; k++) {
    try {
      await ip('netns', 'add', `afp${k}-net`);
      index = k;
    } catch {
      // taken by another bed
    }
  }
  if (index < 0)
    throw new Error(`all ${MAX_BEDS} bed networks are in use (ip netns list); stop other beds or remove stale afp*-net namespaces`);
  const network: BedNetwork = {
    index,
    switchNetns: `afp${index}-net`,
    hostInterface: `afp${index}-host`,
    hostIp: `10.${192 + index}.0.1`,
    servicesIp: `10.${192 + index}.0.2`,
    clusterCidr: `10.${128 + index}.0.0/16`,
    nodes: Array.from({ length: count }, (_, i) => nodeAddressing(index, i + 1)),
  };
  await record(network);
  const sw = network.switchNetns;
  await ip('-n', sw, 'link', 'add', 'br0', 'type', 'bridge');
  await ip('-n', sw, 'link', 'set', 'lo', 'up');
  await ip('-n', sw, 'link', 'set', 'br0', 'up');
  await ip('-n', sw, 'addr', 'add', `${network.servicesIp}/24`, 'dev', 'br0');
  await ip('link', 'add', network.hostInterface, 'type', 'veth', 'peer', 'name', 'host', 'netns', sw);
  await ip('-n', sw, 'link', 'set', 'host', 'master', 'br0', 'up');
  await ip('addr', 'add', `${network.hostIp}/24`, 'dev', network.hostInterface);
  await ip('link', 'set', network.hostInterface, 'up');
  for (const node of network.nodes) await cableNode(network, node);
  return network;
}

async function cableNode(network: BedNetwork, node: NodeAddressing): Promise<void> {
  const sw = network.switchNetns;
  await ip('netns', 'add', node.netns);
  await ip('-n', sw, 'link', 'add', `n${node.index}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', node.netns);
  await ip('-n', sw, 'link', 'set', `n${node.index}`, 'master', 'br0', 'up');
  await ip('-n', node.netns, 'link', 'set', 'lo', 'up');
  await ip('-n', node.netns, 'addr', 'add', `${node.ip}/24`, 'dev', 'eth0');
  await ip('-n', node.netns, 'link', 'set', 'eth0', 'up');
  // No default route: a pod's traffic goes to the bed's addresses or nowhere.
  for (const other of network.nodes) {
    if (other.index !== node.index) await ip('-n', node.netns, 'route', 'add', other.podCidr, 'via', other.ip);
  }
  await ip('route', 'add', node.podCidr, 'via', node.ip, 'dev', network.hostInterface);
  await ip('-n', sw, 'route', 'add', node.podCidr, 'via', node.ip);
  // Per-namespace settings: route between pods and nodes, and let kube-proxy's
  // iptables rules see bridged traffic (a pod reaching a Service backed on its own bridge).
  await inNetns(node.netns, 'sh', '-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward; echo 1 > /proc/sys/net/bridge/bridge-nf-call-iptables');
}

/** Deletes the bed network; its namespaces take their interfaces with them. */
export async function removeBedNetwork(network: BedNetwork): Promise<void> {
  const names = new Set((await ip('netns', 'list')).split('\n').map((line) => line.split(' ')[0]));
  for (const netns of [...network.nodes.map((node) => node.netns), network.switchNetns]) {
    if (names.has(netns)) await ip('netns', 'delete', netns);
  }
  // The host's veth goes with its peer once the kernel has torn the namespace down (a moment later).
  for (let i = 0; i < 50 && (await hostInterfaceExists(network)); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  if (await hostInterfaceExists(network)) await ip('link', 'delete', network.hostInterface).catch(() => undefined);
}

async function hostInterfaceExists(network: BedNetwork): Promise<boolean> {
  const links = await ip('-o', 'link', 'show');
  return links.includes(` ${network.hostInterface}@`) || links.includes(` ${network.hostInterface}:`);
}

/** What of the bed network is still there: namespaces, the host's interface, routes. */
export async function networkLeftovers(network: BedNetwork): Promise<string[]> {
  const left: string[] = [];
  const names = new Set((await ip('netns', 'list')).split('\n').map((line) => line.split(' ')[0]));
  for (const netns of [network.switchNetns, ...network.nodes.map((node) => node.netns)]) if (names.has(netns)) left.push(`netns ${netns}`);
  if (await hostInterfaceExists(network)) left.push(`interface ${network.hostInterface}`);
  const routes = await ip('route', 'show');
  for (const node of network.nodes) if (routes.includes(node.podCidr)) left.push(`route ${node.podCidr}`);
  return left;
}
