/**
 * The whole Kubernetes side of the bed, in dependency order: etcd → API
 * server → (controller manager, scheduler, kwok, bootstrap objects, in
 * parallel) → the Naples nodes, Ready.
 */
import { join } from 'node:path';
import type { Ca, IssuedCert } from '../ca';
import { waitHealthy } from '../net';
import type { ManagedProcess } from '../process';
import { startApiServer } from './apiserver';
import type { OidcTrust } from './apiserver';
import { adminToken, bootstrapCluster } from './bootstrap';
import { KubeClient } from './client';
import { startControllerManager, startScheduler } from './components';
import { startEtcd } from './etcd';
import { writeKubeconfig } from './kubeconfig';
import { startKwok } from './kwok';
import { NAPLES_NODES, NodeHelpers } from './nodes';

export interface ClusterOptions {
  binDir: string;
  dir: string;
  logDir: string;
  marker: string;
  ca: Ca;
  /** The IdP the API server trusts, once it is up (undefined: no OIDC). */
  oidc: Promise<OidcTrust | undefined>;
  /** Called with each process as soon as it starts, so a failed start can still stop it. */
  onProcess: (process: ManagedProcess, waitReady: () => Promise<void>) => void;
  onStep?: (step: string) => void;
  /** Start the simulated Naples nodes (default: yes). */
  kwokNodes?: boolean;
  /** See ApiServerOptions.advertiseAddress. */
  advertiseAddress?: string;
}

export interface Cluster {
  apiServerUrl: string;
  apiServerPort: number;
  adminKubeconfig: string;
  adminToken: string;
  admin: IssuedCert;
  client: KubeClient;
  nodes: NodeHelpers;
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const common = { binDir: opts.binDir, dir: opts.dir, logDir: opts.logDir, marker: opts.marker };
  const admin = await opts.ca.issue('admin', [], { clientAuth: true, commonName: 'afp-admin', organizations: ['system:masters'] });

  const etcd = await startEtcd(common);
  opts.onProcess(etcd.process, () => Promise.resolve());
  opts.onStep?.('etcd');

  const oidc = await opts.oidc;
  const apiServer = await startApiServer({
    ...common,
    ca: opts.ca,
    etcdUrl: etcd.url,
    admin: { certPem: admin.certPem, keyPem: admin.keyPem },
    ...(oidc === undefined ? {} : { oidc }),
    ...(opts.advertiseAddress === undefined ? {} : { advertiseAddress: opts.advertiseAddress }),
  });
  const tls = { ca: opts.ca.certPem, cert: admin.certPem, key: admin.keyPem };
  opts.onProcess(apiServer.process, () => waitHealthy(`${apiServer.url}/readyz`, tls, { timeoutMs: 90_000, process: apiServer.process }));
  opts.onStep?.('kube-apiserver');

  const adminKubeconfig = await writeKubeconfig(join(opts.dir, 'admin.kubeconfig'), {
    server: apiServer.url,
    caPem: opts.ca.certPem,
    clientCertPem: admin.certPem,
    clientKeyPem: admin.keyPem,
  });
  const client = new KubeClient({
    server: apiServer.url,
    caPem: opts.ca.certPem,
    clientCertPem: admin.certPem,
    clientKeyPem: admin.keyPem,
  });
  const componentOpts = { ...common, ca: opts.ca, apiServerUrl: apiServer.url };

  const [, , kwok] = await Promise.all([
    startControllerManager({ ...componentOpts, serviceAccountKeyPath: apiServer.serviceAccountKeyPath }).then((component) => {
      opts.onProcess(component.process, () =>
        waitHealthy(component.healthzUrl, { ca: opts.ca.certPem }, { timeoutMs: 60_000, process: component.process }),
      );
      return component;
    }),
    startScheduler(componentOpts).then((component) => {
      opts.onProcess(component.process, () =>
        waitHealthy(component.healthzUrl, { ca: opts.ca.certPem }, { timeoutMs: 60_000, process: component.process }),
      );
      return component;
    }),
    startKwok(componentOpts).then((process) => {
      opts.onProcess(process, () => Promise.resolve());
      return process;
    }),
    bootstrapCluster(client),
  ]);
  opts.onStep?.('controller-manager, scheduler, kwok');

  const nodes = new NodeHelpers(client);
  const kwokNodes = opts.kwokNodes === false ? [] : NAPLES_NODES;
  await Promise.all(kwokNodes.map((shape) => nodes.createNode(shape)));
  try {
    const kwokExit = kwok.waitExit().then(({ code, signal }) => {
      throw new Error(`kwok exited (${signal ?? `code ${code}`}) before the nodes were Ready`);
    });
    await Promise.race([nodes.waitReady(kwokNodes.map((shape) => shape.name)), kwokExit]);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${reason}\nkwok log ${kwok.logPath}:\n${kwok.logTail()}`);
  }
  opts.onStep?.('nodes');

  return {
    apiServerUrl: apiServer.url,
    apiServerPort: apiServer.port,
    adminKubeconfig,
    adminToken: await adminToken(client),
    admin,
    client,
    nodes,
  };
}
