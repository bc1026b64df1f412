/**
 * A real node's kubelet (same k8s.io/kubernetes module as the control plane),
 * inside the node's namespaces, registering as `<name>` at the node's own
 * address with the bed's label and taint. Its client certificate comes straight
 * from the bed's CA (no TLS bootstrap); its serving certificate too, so the API
 * server reaches logs, exec and port-forward with its kubelet client certificate.
 * The settings this machine needs (cgroup v1, no QoS cgroups, swap) are in
 * kubeletConfig(), each with its reason.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Ca } from '../ca';
import { ManagedProcess } from '../process';
import { writeKubeconfig } from '../kube/kubeconfig';
import { REAL_NODE_LABEL } from '../kube/nodes';
import type { Taint } from '../kube/nodes';
import type { NodeAddressing } from './network';

export const CLUSTER_DNS_IP = '10.96.0.10';
export const CLUSTER_DOMAIN = 'cluster.local';
export const REAL_NODE_TAINT: Taint = { key: REAL_NODE_LABEL, value: 'real', effect: 'NoSchedule' };
const KUBELET_PORT = 10250;

export interface KubeletOptions {
  binDir: string;
  nodeDir: string;
  logDir: string;
  marker: string;
  ca: Ca;
  name: string;
  node: NodeAddressing;
  holderPid: number;
  apiServerUrl: string;
  containerdSocket: string;
  /** Tainted so only pods that tolerate it land here (the shared bed); a bed of real nodes only leaves them untainted. */
  taint: boolean;
}

export async function startKubelet(opts: KubeletOptions): Promise<ManagedProcess> {
  const client = await opts.ca.issue(`${opts.name}-kubelet-client`, [], {
    clientAuth: true,
    commonName: `system:node:${opts.name}`,
    organizations: ['system:nodes'],
  });
  const serving = await opts.ca.issue(`${opts.name}-kubelet`, [opts.node.ip, opts.name]);
  const kubeconfig = await writeKubeconfig(join(opts.nodeDir, 'kubelet.kubeconfig'), {
    server: opts.apiServerUrl,
    caPem: opts.ca.certPem,
    clientCertPem: client.certPem,
    clientKeyPem: client.keyPem,
  });
  const rootDir = join(opts.nodeDir, 'kubelet');
  await mkdir(rootDir, { recursive: true });
  // Pods with dnsPolicy Default get this file: no nameserver, so no query leaves the bed.
  const resolvConf = join(opts.nodeDir, 'resolv.conf');
  await writeFile(resolvConf, '# the test bed: no upstream DNS\n');
  const configPath = join(opts.nodeDir, 'kubelet.yaml');
  await writeFile(configPath, stringify(kubeletConfig(opts, serving, resolvConf)));
  const process = new ManagedProcess(
    {
      name: `${opts.name}-kubelet`,
      command: 'nsenter',
      args: [
        `--target=${opts.holderPid}`,
        '--mount',
        '--net',
        '--',
        join(opts.binDir, 'kubelet'),
        `--config=${configPath}`,
        `--kubeconfig=${kubeconfig}`,
        `--root-dir=${rootDir}`,
        `--cert-dir=${join(opts.nodeDir, 'kubelet-pki')}`,
        `--hostname-override=${opts.name}`,
        `--node-ip=${opts.node.ip}`,
        `--node-labels=${REAL_NODE_LABEL}=real`,
        '--v=1',
      ],
      logDir: opts.logDir,
    },
    opts.marker,
  );
  process.start();
  return process;
}

function kubeletConfig(opts: KubeletOptions, serving: { certPath: string; keyPath: string }, resolvConf: string): object {
  return {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    // This machine has cgroup v1 (kubelet refuses it unless told), no systemd, and swap may be on.
    failCgroupV1: false,
    cgroupDriver: 'cgroupfs',
    failSwapOn: false,
    // No QoS/pod cgroup hierarchy of the kubelet's own: containerd places each
    // container under k8s.io/<id>, which down clears (containerd.ts).
    cgroupsPerQOS: false,
    enforceNodeAllocatable: [],
    containerRuntimeEndpoint: `unix://${opts.containerdSocket}`,
    address: opts.node.ip,
    port: KUBELET_PORT,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: 10248,
    tlsCertFile: serving.certPath,
    tlsPrivateKeyFile: serving.keyPath,
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: opts.ca.certPath },
    },
    authorization: { mode: 'Webhook' },
    clusterDNS: [CLUSTER_DNS_IP],
    clusterDomain: CLUSTER_DOMAIN,
    resolvConf,
    podLogsDir: join(opts.nodeDir, 'pod-logs'),
    registerWithTaints: opts.taint ? [REAL_NODE_TAINT] : [],
    maxPods: 110,
    // The bed shares the machine's disk with everything else: evict only when it is really full.
    evictionHard: { 'memory.available': '50Mi', 'nodefs.available': '1%', 'imagefs.available': '1%' },
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    // Images are imported, never pulled (no registry is reachable).
    serializeImagePulls: false,
    nodeStatusReportFrequency: '10s',
    volumeStatsAggPeriod: '0s',
  };
}
