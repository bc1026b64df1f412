/**
 * kube-controller-manager and kube-scheduler: each with its own client
 * certificate (the user names the default RBAC roles expect), its own
 * kubeconfig, a serving certificate from the bed's CA, and no leader
 * election, so a restart takes over at once.
 */
import { join } from 'node:path';
import type { Ca } from '../ca';
import { freePort, LOOPBACK, waitHealthy } from '../net';
import { ManagedProcess } from '../process';
import { SERVICE_CIDR } from './apiserver';
import { writeKubeconfig } from './kubeconfig';

export interface ComponentOptions {
  binDir: string;
  dir: string;
  logDir: string;
  marker: string;
  ca: Ca;
  apiServerUrl: string;
}

export interface Component {
  process: ManagedProcess;
  healthzUrl: string;
}

/**
 * The controllers a real cluster runs, less those that need a cloud or a
 * network plugin. The host-path provisioner stands in for a CSI driver, so
 * PersistentVolumeClaims bind as they would on a site with a default class.
 */
export const CONTROLLERS = '*,-node-ipam-controller,-service-lb-controller,-cloud-node-lifecycle-controller,-node-route-controller';

export async function startControllerManager(opts: ComponentOptions & { serviceAccountKeyPath: string }): Promise<Component> {
  const common = await componentBasics(opts, 'kube-controller-manager', 'system:kube-controller-manager');
  return launch(opts, 'kube-controller-manager', common, [
    `--service-account-private-key-file=${opts.serviceAccountKeyPath}`,
    `--root-ca-file=${opts.ca.certPath}`,
    `--cluster-signing-cert-file=${opts.ca.certPath}`,
    `--cluster-signing-key-file=${opts.ca.keyPath}`,
    '--use-service-account-credentials=true',
    `--controllers=${CONTROLLERS}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--enable-hostpath-provisioner=true',
    '--node-monitor-period=1s',
    '--kube-api-qps=100',
    '--kube-api-burst=200',
  ]);
}

export async function startScheduler(opts: ComponentOptions): Promise<Component> {
  const common = await componentBasics(opts, 'kube-scheduler', 'system:kube-scheduler');
  return launch(opts, 'kube-scheduler', common, []);
}

interface Basics {
  port: number;
  args: string[];
}

async function componentBasics(opts: ComponentOptions, name: string, user: string): Promise<Basics> {
  const client = await opts.ca.issue(`${name}-client`, [], { clientAuth: true, commonName: user });
  const serving = await opts.ca.issue(name, [LOOPBACK, 'localhost']);
  const kubeconfig = await writeKubeconfig(join(opts.dir, `${name}.kubeconfig`), {
    server: opts.apiServerUrl,
    caPem: opts.ca.certPem,
    clientCertPem: client.certPem,
    clientKeyPem: client.keyPem,
  });
  const port = await freePort();
  return {
    port,
    args: [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      `--bind-address=${LOOPBACK}`,
      `--secure-port=${port}`,
      `--tls-cert-file=${serving.certPath}`,
      `--tls-private-key-file=${serving.keyPath}`,
      '--leader-elect=false',
      '--profiling=false',
    ],
  };
}

async function launch(opts: ComponentOptions, name: string, basics: Basics, extra: string[]): Promise<Component> {
  const process = new ManagedProcess(
    { name, command: join(opts.binDir, name), args: [...basics.args, ...extra], logDir: opts.logDir },
    opts.marker,
  );
  process.start();
  const healthzUrl = `https://${LOOPBACK}:${basics.port}/healthz`;
  await waitHealthy(healthzUrl, { ca: opts.ca.certPem }, { timeoutMs: 60_000, process });
  return { process, healthzUrl };
}
