/**
 * kube-proxy in iptables mode inside a real node's network namespace, so a pod
 * on that node reaches Services (cluster DNS among them) through the node's own
 * rules; they vanish with the namespace. Identity: the `system:kube-proxy` user,
 * which the default RBAC binding (system:node-proxier) already grants.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Ca } from '../ca';
import { ManagedProcess } from '../process';
import { writeKubeconfig } from '../kube/kubeconfig';
import type { NodeAddressing } from './network';

export interface KubeProxyOptions {
  binDir: string;
  nodeDir: string;
  logDir: string;
  marker: string;
  ca: Ca;
  name: string;
  node: NodeAddressing;
  holderPid: number;
  apiServerUrl: string;
  clusterCidr: string;
}

export async function startKubeProxy(opts: KubeProxyOptions): Promise<ManagedProcess> {
  const client = await opts.ca.issue(`${opts.name}-kube-proxy-client`, [], { clientAuth: true, commonName: 'system:kube-proxy' });
  const kubeconfig = await writeKubeconfig(join(opts.nodeDir, 'kube-proxy.kubeconfig'), {
    server: opts.apiServerUrl,
    caPem: opts.ca.certPem,
    clientCertPem: client.certPem,
    clientKeyPem: client.keyPem,
  });
  const configPath = join(opts.nodeDir, 'kube-proxy.yaml');
  await writeFile(
    configPath,
    stringify({
      apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
      kind: 'KubeProxyConfiguration',
      mode: 'iptables',
      clientConnection: { kubeconfig },
      hostnameOverride: opts.name,
      bindAddress: opts.node.ip,
      clusterCIDR: opts.clusterCidr,
      healthzBindAddress: '127.0.0.1:10256',
      metricsBindAddress: '127.0.0.1:10249',
      // conntrack's table size and timeouts are the host's (global) settings: leave them alone.
      conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s' },
      // At most one iptables-restore a second however busy the shared bed's Services are (2 CPUs).
      iptables: { syncPeriod: '30s', minSyncPeriod: '1s' },
    }),
  );
  const process = new ManagedProcess(
    {
      name: `${opts.name}-kube-proxy`,
      command: 'nsenter',
      args: [`--target=${opts.holderPid}`, '--mount', '--net', '--', join(opts.binDir, 'kube-proxy'), `--config=${configPath}`, '--v=1'],
      logDir: opts.logDir,
    },
    opts.marker,
  );
  process.start();
  return process;
}
