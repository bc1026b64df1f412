/**
 * kwok, managing only nodes annotated kwok.x-k8s.io/node=fake, with the
 * bed's own Stages (kwok-stages.yaml) and node leases, so the real node
 * lifecycle controller sees live nodes.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Ca } from '../ca';
import { ManagedProcess } from '../process';
import { writeKubeconfig } from './kubeconfig';

export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';
export const POD_CIDR = '10.244.0.0/16';
const STAGES_FILE = fileURLToPath(new URL('./kwok-stages.yaml', import.meta.url));
const LEASE_SECONDS = 40;

export interface KwokOptions {
  binDir: string;
  dir: string;
  logDir: string;
  marker: string;
  ca: Ca;
  apiServerUrl: string;
}

export async function startKwok(opts: KwokOptions): Promise<ManagedProcess> {
  const client = await opts.ca.issue('kwok-client', [], {
    clientAuth: true,
    commonName: 'kwok-controller',
    organizations: ['system:masters'],
  });
  const kubeconfig = await writeKubeconfig(join(opts.dir, 'kwok.kubeconfig'), {
    server: opts.apiServerUrl,
    caPem: opts.ca.certPem,
    clientCertPem: client.certPem,
    clientKeyPem: client.keyPem,
  });
  const configPath = join(opts.dir, 'kwok.yaml');
  const options = stringify({
    apiVersion: 'config.kwok.x-k8s.io/v1alpha1',
    kind: 'KwokConfiguration',
    options: {
      manageAllNodes: false,
      manageNodesWithAnnotationSelector: `${KWOK_NODE_ANNOTATION}=fake`,
      cidr: POD_CIDR,
      nodeLeaseDurationSeconds: LEASE_SECONDS,
      // kwok applies its defaults to flags, not to a config file's options
      nodeLeaseParallelism: 4,
      nodePlayStageParallelism: 4,
      podPlayStageParallelism: 4,
      podsOnNodeSyncParallelism: 1,
    },
  });
  await writeFile(configPath, `${options}---\n${await readFile(STAGES_FILE, 'utf8')}`);
  const kwok = new ManagedProcess(
    {
      name: 'kwok',
      command: join(opts.binDir, 'kwok'),
      args: [
        `--kubeconfig=${kubeconfig}`,
        `--config=${configPath}`,
        '--manage-all-nodes=false',
        `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
        `--node-lease-duration-seconds=${LEASE_SECONDS}`,
      ],
      logDir: opts.logDir,
      // kwok would otherwise also read ~/.kwok/kwok.yaml
      env: { ...process.env, HOME: opts.dir },
    },
    opts.marker,
  );
  kwok.start();
  return kwok;
}
