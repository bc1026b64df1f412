/**
 * A simulated node whose "kubelet" answers port-forwards, for the link tests.
 *
 * The bed's kwok runs without its server, and its nodes' addresses (a
 * Hostname that does not resolve, 127.0.1.x where nothing listens) are not reachable: the API server
 * cannot open a port-forward to their pods ("error dialing backend"). This
 * starts a second kwok, with `--server-address` on 127.0.0.1, managing only a
 * node of this test whose InternalIP is 127.0.0.1 and whose kubelet port is
 * that server. kwok's ClusterPortForward sends every forwarded connection to a
 * small HTTP server of the test, standing in for the container.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { kubectl, kubectlOk, testbedEnv, waitUntil } from '../../support/testbed';

const STAGES = fileURLToPath(new URL('../../testbed/kube/kwok-stages.yaml', import.meta.url));

export interface KubeletNode {
  node: string;
  /** Toleration and node selector that put a pod on this node only. */
  placement: { nodeSelector: Record<string, string>; tolerations: object[] };
  /** What the stand-in container answers. */
  body: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createTcpServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function kubeletNode(t: TestContext, namespace: string): Promise<KubeletNode> {
  const env = testbedEnv();
  const tag = `trk-pf-${Math.random().toString(16).slice(2, 8)}`;
  const node = tag;
  const body = `hello through the port-forward (${tag})`;

  const http: Server = createServer((_req, res) => res.end(body));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => http.close(() => resolve())));
  const httpAddress = http.address();
  const httpPort = typeof httpAddress === 'object' && httpAddress !== null ? httpAddress.port : 0;

  const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-kwok-kubelet-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const forward = stringify({
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'ClusterPortForward',
    metadata: { name: 'tracking-test' },
    spec: { selector: { matchNamespaces: [namespace] }, forwards: [{ target: { port: httpPort, address: '127.0.0.1' } }] },
  });
  const config = path.join(dir, 'kwok.yaml');
  writeFileSync(config, `${readFileSync(STAGES, 'utf8')}\n---\n${forward}`);

  const serverPort = await freePort();
  const kwok: ChildProcess = spawn(
    path.join(env.binDir, 'kwok'),
    [
      `--kubeconfig=${env.adminKubeconfig}`,
      `--config=${config}`,
      '--manage-all-nodes=false',
      `--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=${tag}`,
      `--server-address=127.0.0.1:${serverPort}`,
      '--node-lease-duration-seconds=40',
      `--cidr=10.245.0.0/24`,
    ],
    { env: { ...process.env, HOME: dir }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  kwok.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  t.after(async () => {
    await kubectl(['delete', 'node', node, '--wait=false']);
    kwok.kill('SIGTERM');
  });

  const taint = { key: 'afp.dev/tracking-test', value: tag, effect: 'NoSchedule' };
  await kubectlOk(['create', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: node,
        labels: { 'kubernetes.io/hostname': node, type: 'kwok' },
        annotations: { 'kwok.x-k8s.io/node': tag, 'node.alpha.kubernetes.io/ttl': '0' },
      },
      spec: { taints: [taint] },
      status: {
        allocatable: { cpu: '4', memory: '8Gi', pods: '20' },
        capacity: { cpu: '4', memory: '8Gi', pods: '20' },
        addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
        daemonEndpoints: { kubeletEndpoint: { Port: serverPort } },
      },
    }),
  });
  try {
    await waitUntil(
      `node ${node} Ready (our kwok)`,
      async () =>
        (await kubectl(['get', 'node', node, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'])).stdout === 'True',
      30_000,
    );
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}; kwok said: ${log}`);
  }
  return {
    node,
    body,
    placement: {
      nodeSelector: { 'kubernetes.io/hostname': node },
      tolerations: [{ key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect }],
    },
  };
}
