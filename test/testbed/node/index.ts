/**
 * startRealNodes(): N real container nodes beside (or instead of) the kwok
 * ones. Per node, in its own network namespace (network.ts): a holder process
 * owning the node's mount namespace (holder.sh), containerd (containerd.ts)
 * with every image imported (images.ts), the kubelet (kubelet.ts) and
 * kube-proxy (kube-proxy.ts), and once the nodes are Ready their NetworkPolicy
 * enforcer (kube-router.ts); then CoreDNS and local-path-provisioner
 * (addons.ts). stop() undoes it in reverse, killing what containerd started
 * even if a shim is gone, and removeBedNetwork() (the caller's, last) takes
 * the interfaces, routes and iptables rules with the namespaces.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ca } from '../ca';
import type { KubeClient } from '../kube/client';
import { waitFor } from '../net';
import { ManagedProcess } from '../process';
import { startCoreDns, startLocalPathProvisioner } from './addons';
import { ctr, killContainers, killShims, startContainerd } from './containerd';
import { importImages } from './images';
import { writeRecord } from './leftovers';
import type { RealNodesRecord } from './leftovers';
import type { NodeImages } from './images';
import { startKubelet } from './kubelet';
import { startKubeProxy } from './kube-proxy';
import { checkIpset, grantKubeRouter, startKubeRouter } from './kube-router';
import type { BedNetwork, NodeAddressing } from './network';

const HOLDER = fileURLToPath(new URL('./holder.sh', import.meta.url));

export interface RealNodesOptions {
  /** The node programs' folder (ensureNodeBinaries). */
  binDir: string;
  dir: string;
  logDir: string;
  marker: string;
  ca: Ca;
  kube: KubeClient;
  network: BedNetwork;
  images: NodeImages;
  adminKubeconfig: string;
  apiPort: number;
  /** The registry mirror's hosts.toml folder (registry.ts), for each node's containerd. */
  registryHostsDir?: string;
  /** kube-router's binary (ensureKubeRouter): enforce NetworkPolicies with it; absent: nothing enforces them. */
  kubeRouterBin?: string;
  /** Taint the nodes (a shared bed, beside kwok nodes) or not (a bed of real nodes only). */
  taint: boolean;
  /** Called with each process as soon as it starts, so a failed start can still stop it. */
  onProcess: (process: ManagedProcess) => void;
  onStep?: (step: string) => void;
}

export interface RealNodes {
  names: string[];
  /** What `down` checks and clears if the bed dies (node/leftovers.ts). */
  record: RealNodesRecord;
  stop(): Promise<void>;
}

export function realNodeName(node: NodeAddressing): string {
  return `afp-real-${node.index}`;
}

export async function startRealNodes(opts: RealNodesOptions): Promise<RealNodes> {
  const started: StartedNode[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(started.map((node) => stopNode(node)));
  };
  try {
    if (opts.kubeRouterBin !== undefined) checkIpset();
    const addons = { ...opts, helperImage: opts.images.busyboxImage, defaultClass: !opts.taint };
    const coreDns = startCoreDns(addons).then((process) => {
      opts.onProcess(process);
      opts.onStep?.('coredns');
    });
    coreDns.catch(() => undefined); // awaited below; a node failing first must not leave it unhandled
    const record = { network: opts.network, nodes: opts.network.nodes.map((node) => nodeRecord(opts, node)) };
    await writeRecord(opts.dir, record);
    await Promise.all(opts.network.nodes.map((node) => startNode(opts, node, started)));
    const names = opts.network.nodes.map(realNodeName);
    await waitNodesReady(opts.kube, names, started);
    opts.onStep?.('real nodes');
    if (opts.kubeRouterBin !== undefined) {
      await grantKubeRouter(opts.kube);
      await Promise.all(started.map((node) => startEnforcer(opts, node, opts.kubeRouterBin!)));
      opts.onStep?.('network policy');
    }
    opts.onProcess(await startLocalPathProvisioner(addons));
    await coreDns;
    return { names, record, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

function nodeRecord(opts: RealNodesOptions, node: NodeAddressing): RealNodesRecord['nodes'][number] {
  return { containerdRoot: containerdRootOf(opts, node), socket: join(nodeDirOf(opts, node), 'containerd.sock') };
}

function nodeDirOf(opts: RealNodesOptions, node: NodeAddressing): string {
  return join(opts.dir, 'nodes', realNodeName(node));
}

/**
 * The containerd root outlives the bed (images are imported once per machine), in
 * the cache beside the binaries; the bed network's number makes it this bed's
 * alone while it runs. Its containers are removed when the node stops.
 */
function containerdRootOf(opts: RealNodesOptions, node: NodeAddressing): string {
  return join(dirname(dirname(opts.binDir)), 'node-containerd', node.netns);
}

interface StartedNode {
  name: string;
  nodeDir: string;
  holderPid?: number;
  containerdRoot: string;
  socket?: string;
  /** In start order; stopped in reverse. */
  processes: ManagedProcess[];
}

async function startNode(opts: RealNodesOptions, node: NodeAddressing, started: StartedNode[]): Promise<void> {
  const name = realNodeName(node);
  const nodeDir = nodeDirOf(opts, node);
  const containerdRoot = containerdRootOf(opts, node);
  await mkdir(nodeDir, { recursive: true });
  const entry: StartedNode = { name, nodeDir, containerdRoot, processes: [] };
  started.push(entry);
  const track = (process: ManagedProcess): ManagedProcess => {
    entry.processes.push(process);
    opts.onProcess(process);
    return process;
  };
  const common = { nodeDir, logDir: opts.logDir, marker: opts.marker, name, node };

  const holder = track(
    new ManagedProcess(
      { name: `${name}-namespaces`, command: 'ip', args: ['netns', 'exec', node.netns, 'sh', HOLDER], logDir: opts.logDir },
      opts.marker,
    ),
  );
  holder.start();
  await waitFor('the node namespaces to be set up', () => Promise.resolve(holder.logTail(1) === 'ready' ? true : undefined), {
    timeoutMs: 10_000,
    process: holder,
    intervalMs: 50,
  });
  const holderPid = holder.pid!;
  entry.holderPid = holderPid;

  const containerd = await startContainerd({
    ...common,
    holderPid,
    containerdRoot,
    sandboxImage: opts.images.sandboxImage,
    ...(opts.registryHostsDir === undefined ? {} : { registryHostsDir: opts.registryHostsDir }),
  });
  track(containerd.process);
  entry.socket = containerd.socket;
  await importImages(containerd.socket, opts.images);

  const apiServerUrl = `https://${opts.network.hostIp}:${opts.apiPort}`;
  track(
    await startKubelet({
      ...common,
      binDir: opts.binDir,
      ca: opts.ca,
      holderPid,
      apiServerUrl,
      containerdSocket: containerd.socket,
      taint: opts.taint,
    }),
  );
  track(
    await startKubeProxy({ ...common, binDir: opts.binDir, ca: opts.ca, holderPid, apiServerUrl, clusterCidr: opts.network.clusterCidr }),
  );
}

async function startEnforcer(opts: RealNodesOptions, node: StartedNode, bin: string): Promise<void> {
  const apiServerUrl = `https://${opts.network.hostIp}:${opts.apiPort}`;
  const common = { nodeDir: node.nodeDir, logDir: opts.logDir, marker: opts.marker, ca: opts.ca, name: node.name };
  await startKubeRouter({ ...common, holderPid: node.holderPid!, apiServerUrl }, bin, (process) => {
    node.processes.push(process);
    opts.onProcess(process);
  });
}

async function waitNodesReady(kube: KubeClient, names: string[], started: StartedNode[]): Promise<void> {
  interface NodeStatus {
    status?: { conditions?: { type: string; status: string }[] };
  }
  for (const name of names) {
    const kubelet = started.find((node) => node.name === name)?.processes.find((process) => process.name.endsWith('-kubelet'));
    await waitFor(
      `real node ${name} to be Ready`,
      async () => {
        const node = await kube.find<NodeStatus>(`/api/v1/nodes/${name}`);
        return node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250, ...(kubelet === undefined ? {} : { process: kubelet }) },
    );
  }
}

/**
 * kubelet and kube-proxy first (nothing restarts containers then), the
 * containers' processes through their cgroups (a shim killed with its group
 * would leave them running), their records in containerd, then containerd, its
 * shims and the holder: the node's mount namespace goes with its last process.
 */
async function stopNode(node: StartedNode): Promise<void> {
  const [holder, containerd, ...rest] = node.processes;
  for (const process of rest.reverse()) await process.stop();
  await killContainers(node.containerdRoot);
  if (node.socket !== undefined && containerd?.running === true) {
    const ids = (await ctr(node.socket, 'containers', 'ls', '-q').catch(() => '')).split('\n').filter((id) => id !== '');
    for (const id of ids) {
      await ctr(node.socket, 'tasks', 'rm', '-f', id).catch(() => undefined);
      await ctr(node.socket, 'containers', 'rm', id).catch(() => undefined);
    }
  }
  await containerd?.stop();
  if (node.socket !== undefined) await killShims(node.socket);
  await holder?.stop();
  // a second pass: cgroups whose last process exited only now
  await killContainers(node.containerdRoot);
}
