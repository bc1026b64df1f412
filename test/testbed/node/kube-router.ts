/**
 * kube-router as a real node's NetworkPolicy enforcer, and nothing else
 * (firewall only: the bridge CNI keeps wiring pods, kube-proxy keeps Services,
 * the bed's static routes keep nodes connected). In the node's namespaces it
 * turns NetworkPolicies into iptables chains and ipsets there, which vanish with
 * the namespace. Identity: the user `system:kube-router`, bound to a ClusterRole
 * that reads what its informers watch (kube-router starts them all, even the
 * ones only its router and proxy use).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Ca } from '../ca';
import type { KubeClient } from '../kube/client';
import { writeKubeconfig } from '../kube/kubeconfig';
import { SERVICE_CIDR } from '../kube/apiserver';
import { waitFor } from '../net';
import { ManagedProcess } from '../process';

const USER = 'system:kube-router';
const ROLE = 'afp-testbed:kube-router';
/** kube-router logs this (at -v=1) after each full sync of its iptables rules: policies are enforced from then on. */
const SYNCED = /sync iptables took/;

export interface KubeRouterOptions {
  nodeDir: string;
  logDir: string;
  marker: string;
  ca: Ca;
  name: string;
  holderPid: number;
  apiServerUrl: string;
}

/** The read access kube-router's informers need; made once per bed, before the first node's enforcer starts. */
export async function grantKubeRouter(kube: KubeClient): Promise<void> {
  const read = ['get', 'list', 'watch'];
  await kube.ensure('/apis/rbac.authorization.k8s.io/v1/clusterroles', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: ROLE },
    rules: [
      { apiGroups: [''], resources: ['pods', 'namespaces', 'nodes', 'services', 'endpoints'], verbs: read },
      { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: read },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: read },
    ],
  });
  await kube.ensure('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: ROLE },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: ROLE },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: USER }],
  });
}

/** Fails early and plainly when Debian's ipset is missing: kube-router would only log it per sync. */
export function checkIpset(): void {
  const probe = spawnSync('ipset', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0)
    throw new Error(
      'kube-router (the real nodes’ NetworkPolicy enforcer) needs ipset: apt-get install ipset (scripts/ensure-system-deps.sh)',
    );
}

/**
 * Starts the enforcer once the node is registered (it reads its Node), hands it
 * to `onStart` at once (so a failed start still stops it) and resolves after its first full sync.
 */
export async function startKubeRouter(
  opts: KubeRouterOptions,
  kubeRouterBin: string,
  onStart: (process: ManagedProcess) => void,
): Promise<ManagedProcess> {
  const client = await opts.ca.issue(`${opts.name}-kube-router-client`, [], { clientAuth: true, commonName: USER });
  const kubeconfig = await writeKubeconfig(join(opts.nodeDir, 'kube-router.kubeconfig'), {
    server: opts.apiServerUrl,
    caPem: opts.ca.certPem,
    clientCertPem: client.certPem,
    clientKeyPem: client.keyPem,
  });
  const process = new ManagedProcess(
    {
      name: `${opts.name}-kube-router`,
      command: 'nsenter',
      args: [
        `--target=${opts.holderPid}`,
        '--mount',
        '--net',
        '--',
        kubeRouterBin,
        `--kubeconfig=${kubeconfig}`,
        `--hostname-override=${opts.name}`,
        '--run-firewall=true',
        '--run-router=false',
        '--run-service-proxy=false',
        `--service-cluster-ip-range=${SERVICE_CIDR}`,
        // Inside the node's namespace, so the default port clashes with no other node's.
        '--health-port=20244',
        '--metrics-port=0',
        '--v=1',
      ],
      logDir: opts.logDir,
    },
    opts.marker,
  );
  process.start();
  onStart(process);
  await waitFor(
    `kube-router on ${opts.name} to enforce NetworkPolicies (its first iptables sync)`,
    () => Promise.resolve(SYNCED.test(process.logTail(200)) ? true : undefined),
    { timeoutMs: 60_000, intervalMs: 100, process },
  );
  return process;
}
