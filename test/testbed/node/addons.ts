/**
 * What a cluster with real nodes runs beside them, as processes of the bed
 * rather than pods (no image to build for them, and they start before any node
 * is Ready):
 * - CoreDNS in the switch namespace, at the bed's services address, behind the
 *   `kube-dns` Service at the cluster DNS IP the kubelets hand to pods (a
 *   Service without selector and an EndpointSlice naming that address), so
 *   `<svc>.<ns>.svc.cluster.local` resolves. No upstream: nothing else resolves.
 * - local-path-provisioner, StorageClass `local-path`: a PVC gets a directory
 *   on the node (mode 0777, made by a helper pod on that node), writable by
 *   non-root pods too. The controller manager's host-path provisioner (class
 *   `standard`) also makes real directories, but root's with mode 0750 and no
 *   fsGroup support, so a non-root pod (Jupyter's uid 1000) cannot write them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Ca } from '../ca';
import { httpGet, waitFor } from '../net';
import { ManagedProcess } from '../process';
import { DEFAULT_STORAGE_CLASS } from '../kube/bootstrap';
import type { KubeClient } from '../kube/client';
import { writeKubeconfig } from '../kube/kubeconfig';
import { CLUSTER_DNS_IP, CLUSTER_DOMAIN } from './kubelet';
import type { BedNetwork } from './network';

export const LOCAL_PATH_CLASS = 'local-path';
const LOCAL_PATH_NAMESPACE = 'local-path-storage';
const LOCAL_PATH_ACCOUNT = 'local-path-provisioner-service-account';

export interface AddonOptions {
  binDir: string;
  dir: string;
  logDir: string;
  marker: string;
  ca: Ca;
  kube: KubeClient;
  network: BedNetwork;
  adminKubeconfig: string;
  /** The API server's port (the bed network's forward listens on the same one). */
  apiPort: number;
  helperImage: string;
  /** Make `local-path` the default StorageClass (a bed of real nodes only). */
  defaultClass: boolean;
}

export async function startCoreDns(opts: AddonOptions): Promise<ManagedProcess> {
  const client = await opts.ca.issue('coredns-client', [], {
    clientAuth: true,
    commonName: 'afp-coredns',
    organizations: ['system:masters'],
  });
  const kubeconfig = await writeKubeconfig(join(opts.dir, 'coredns.kubeconfig'), {
    server: `https://${opts.network.hostIp}:${opts.apiPort}`,
    caPem: opts.ca.certPem,
    clientCertPem: client.certPem,
    clientKeyPem: client.keyPem,
  });
  const corefile = join(opts.dir, 'Corefile');
  await writeFile(
    corefile,
    `.:53 {
    bind ${opts.network.servicesIp}
    errors
    ready ${opts.network.servicesIp}:8181
    kubernetes ${CLUSTER_DOMAIN} in-addr.arpa ip6.arpa {
        kubeconfig ${kubeconfig}
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    cache 5
}
`,
  );
  const process = new ManagedProcess(
    {
      name: 'coredns',
      command: 'ip',
      args: ['netns', 'exec', opts.network.switchNetns, join(opts.binDir, 'coredns'), '-conf', corefile],
      logDir: opts.logDir,
    },
    opts.marker,
  );
  process.start();
  const ports = [
    { name: 'dns', port: 53, protocol: 'UDP' },
    { name: 'dns-tcp', port: 53, protocol: 'TCP' },
  ];
  await opts.kube.ensure('/api/v1/namespaces/kube-system/services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kube-dns', labels: { 'k8s-app': 'kube-dns' } },
    spec: { clusterIP: CLUSTER_DNS_IP, ports: ports.map((port) => ({ ...port, targetPort: 53 })) },
  });
  await opts.kube.ensure('/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices', {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: 'kube-dns-testbed',
      labels: { 'kubernetes.io/service-name': 'kube-dns', 'endpointslice.kubernetes.io/managed-by': 'afp-testbed' },
    },
    addressType: 'IPv4',
    endpoints: [{ addresses: [opts.network.servicesIp], conditions: { ready: true } }],
    ports,
  });
  // `ready` answers once the kubernetes plugin has synced with the API server.
  await waitFor(
    'CoreDNS to be ready',
    async () => {
      const answer = await httpGet(`http://${opts.network.servicesIp}:8181/ready`);
      return answer.status === 200 ? true : undefined;
    },
    { timeoutMs: 30_000, process, intervalMs: 250 },
  );
  return process;
}

export async function startLocalPathProvisioner(opts: AddonOptions): Promise<ManagedProcess> {
  const dataDir = join(opts.dir, 'local-path');
  await mkdir(dataDir, { recursive: true });
  await opts.kube.ensure('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: LOCAL_PATH_NAMESPACE } });
  await opts.kube.ensure(`/api/v1/namespaces/${LOCAL_PATH_NAMESPACE}/serviceaccounts`, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: LOCAL_PATH_ACCOUNT },
  });
  await opts.kube.ensure(`/api/v1/namespaces/${LOCAL_PATH_NAMESPACE}/configmaps`, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'local-path-config' },
    data: {
      'config.json': JSON.stringify({ nodePathMap: [{ node: 'DEFAULT_PATH_FOR_NON_LISTED_NODES', paths: [dataDir] }] }),
      setup: 'set -eu\nmkdir -m 0777 -p "$VOL_DIR"\n',
      teardown: 'set -eu\nrm -rf "$VOL_DIR"\n',
      'helperPod.yaml': stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'helper-pod' },
        spec: { containers: [{ name: 'helper-pod', image: opts.helperImage, imagePullPolicy: 'Never' }] },
      }),
    },
  });
  await opts.kube.ensure('/apis/storage.k8s.io/v1/storageclasses', {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name: LOCAL_PATH_CLASS,
      ...(opts.defaultClass ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}),
    },
    provisioner: 'rancher.io/local-path',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  });
  if (opts.defaultClass) {
    // One default class: claims that name none get real storage on a bed of real nodes only.
    await opts.kube.patch(`/apis/storage.k8s.io/v1/storageclasses/${DEFAULT_STORAGE_CLASS}`, {
      metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'false' } },
    });
  }
  const process = new ManagedProcess(
    {
      name: 'local-path-provisioner',
      command: join(opts.binDir, 'local-path-provisioner'),
      args: [
        'start',
        `--kubeconfig=${opts.adminKubeconfig}`,
        `--namespace=${LOCAL_PATH_NAMESPACE}`,
        `--service-account-name=${LOCAL_PATH_ACCOUNT}`,
        `--helper-image=${opts.helperImage}`,
        '--provisioner-name=rancher.io/local-path',
      ],
      logDir: opts.logDir,
    },
    opts.marker,
  );
  process.start();
  return process;
}
