/**
 * What every node already runs, measured on a live cluster: a DaemonSet's pods
 * (on simulated kwok nodes: scheduled and Running, no process behind them) are
 * counted per node, `afp fit --kubeconfig` prints the most they take on one node,
 * and a plan that would fill a node to 100% is predicted Pending, as the real
 * kube-scheduler decides. The DaemonSet takes room on every node, so this runs
 * on a bed of its own.
 */
import assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import { after, before, describe, it } from 'node:test';
import { predictFit } from '../../../main/capacity/fit';
import { snapshotFromCluster } from '../../../main/capacity/snapshot-cluster';
import { main } from '../../../main/cli';
import { startTestbed, type Testbed } from '../../testbed/index';
import { waitFor } from '../../testbed/net';

const MI = 2 ** 20;
const NODES = 6;

interface PodList {
  items: { spec: { nodeName?: string }; status: { phase?: string } }[];
}

describe('DaemonSet pods measured as what every node runs, on a private bed of simulated (kwok) nodes', { timeout: 240_000 }, () => {
  let bed: Testbed;
  let kubeConfig: KubeConfig;

  before(async () => {
    bed = await startTestbed({ idp: false, im: false, dispatcher: false });
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(bed.env.adminKubeconfig);
    await bed.kube.post('/api/v1/namespaces', { metadata: { name: 'agents' } });
    await bed.kube.post('/apis/apps/v1/namespaces/agents/daemonsets', {
      metadata: { name: 'node-agent' },
      spec: {
        selector: { matchLabels: { app: 'node-agent' } },
        template: {
          metadata: { labels: { app: 'node-agent' } },
          spec: {
            tolerations: [{ operator: 'Exists' }],
            containers: [{ name: 'agent', image: 'registry.example/agent:1', resources: { requests: { cpu: '250m', memory: '256Mi' } } }],
          },
        },
      },
    });
    await waitFor(
      `the DaemonSet's pod Running on each of the ${NODES} nodes`,
      async () => {
        const pods = await bed.kube.get<PodList>('/api/v1/namespaces/agents/pods');
        const running = new Set(pods.items.filter((pod) => pod.status.phase === 'Running').map((pod) => pod.spec.nodeName));
        return running.size >= NODES ? running : undefined;
      },
      { timeoutMs: 60_000 },
    );
  });
  after(() => bed?.stop());

  it('counts them on every node, apart from the other pods there', async () => {
    const snapshot = await snapshotFromCluster(kubeConfig);
    assert.equal(snapshot.nodes.length, NODES);
    for (const node of snapshot.nodes) assert.deepEqual(node.everyNode, { pods: 1, cpu: 250, memory: 256 * MI }, node.name);
  });

  it('predicts Pending for a pod that would fill a worker node to 100%, as kube-scheduler decides', async () => {
    const spec = {
      nodeSelector: { 'kubernetes.io/hostname': 'af-worker-2' },
      containers: [{ name: 'main', image: 'registry.example/app:1', resources: { requests: { cpu: '8', memory: '1Gi' } } }],
    };
    const report = predictFit(await snapshotFromCluster(kubeConfig), [{ component: 'x', name: 'full', spec }]);
    assert.equal(report.allFit, false);
    // The other nodes are turned away by the selector; af-worker-2 only for lack of CPU, what its agent holds.
    assert.deepEqual(report.perPod[0]?.closest, { node: 'af-worker-2', short: ['cpu'] });
    await bed.kube.post('/api/v1/namespaces/agents/pods', { metadata: { name: 'full' }, spec });
    const message = await waitFor(
      'kube-scheduler to refuse the pod',
      async () => {
        const events = await bed.kube.get<{ items: { message: string; involvedObject: { name: string } }[] }>(
          '/api/v1/namespaces/agents/events?fieldSelector=reason%3DFailedScheduling',
        );
        return events.items.find((event) => event.involvedObject.name === 'full')?.message;
      },
      { timeoutMs: 30_000 },
    );
    assert.match(message, /Insufficient cpu/);
    assert.match(report.perPod[0]?.message ?? '', /Insufficient cpu/);
  });

  it('afp fit --kubeconfig prints the most they take on one node, the number a site profile declares as headroom', async () => {
    let stdout = '';
    let stderr = '';
    const code = await main(['fit', 'dask', '--kubeconfig', bed.env.adminKubeconfig, '--set', 'workers=1'], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      cwd: process.cwd(),
    });
    assert.equal(code, 0, stderr);
    assert.match(stdout, /What every node already runs .* takes up to cpu 250m, memory 256Mi, pods 1 a node\./);
  });
});
