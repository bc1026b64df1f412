import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { isAfpError } from '../../../main/errors';
import { predictFit } from '../../../main/capacity/fit';
import { snapshotFromCluster } from '../../../main/capacity/snapshot-cluster';
import type { ClusterSnapshot } from '../../../main/capacity/snapshot';
import { testbedEnv } from '../../support/testbed';
import { createAndAwaitDecision, createNamespace, deleteNamespace, openBed } from './bed';

const GI = 1024 ** 3;
const NAPLES = ['af-master', 'af-worker-1', 'af-worker-2', 'af-worker-3', 'af-worker-4', 'af-worker-5'];

function comparable(snapshot: ClusterSnapshot): unknown {
  return snapshot.nodes.map((node) => ({
    name: node.name,
    requested: node.requested,
    allocatable: node.allocatable,
    unschedulable: node.unschedulable,
  }));
}

test('a snapshot of the test bed shows the Naples nodes and what their pods request', async (t) => {
  const bed = openBed();
  t.after(() => bed.close());
  const before = await snapshotFromCluster(bed.kubeConfig);
  for (const name of NAPLES) assert.ok(before.byName.has(name), `${name} is in the snapshot`);
  assert.deepEqual(before.byName.get('af-master')?.allocatable, { cpu: 32_000, memory: 64 * GI, pods: 110, 'ephemeral-storage': 100 * GI });
  assert.deepEqual(before.byName.get('af-worker-2')?.allocatable, { cpu: 8000, memory: 16 * GI, pods: 110, 'ephemeral-storage': 100 * GI });
  assert.equal(before.byName.get('af-master')?.labels['node-role.kubernetes.io/control-plane'], '');
  assert.ok(before.nodes.every((node) => node.ready));

  const namespace = `snap-${randomBytes(3).toString('hex')}`;
  await createNamespace(bed.core, namespace);
  t.after(() => deleteNamespace(bed.core, namespace));
  const onWorker3 = { 'kubernetes.io/hostname': 'af-worker-3' };
  const spec = (cpu: string, memory: string) => ({
    nodeSelector: onWorker3,
    terminationGracePeriodSeconds: 0,
    containers: [{ name: 'main', image: 'registry.example/app:1', resources: { requests: { cpu, memory } } }],
  });
  await createAndAwaitDecision(bed.core, namespace, 'a', spec('1500m', '2Gi'));
  await createAndAwaitDecision(bed.core, namespace, 'b', {
    ...spec('250m', '512Mi'),
    initContainers: [{ name: 'init', image: 'registry.example/app:1', resources: { limits: { cpu: '2', memory: '1Gi' } } }],
  });

  const after = await snapshotFromCluster(bed.kubeConfig);
  const grew = (resource: string) =>
    (after.byName.get('af-worker-3')?.requested[resource] ?? 0) - (before.byName.get('af-worker-3')?.requested[resource] ?? 0);
  // Pod b counts at its init container's 2 CPU / 1Gi (limits become requests), above its app container.
  assert.equal(grew('cpu'), 1500 + 2000);
  assert.equal(grew('memory'), 2 * GI + 1 * GI);
  assert.equal(grew('pods'), 2);

  const report = predictFit(after, [{ component: 'x', name: 'x', spec: spec('5', '1Gi') }]);
  assert.equal(report.perPod[0]?.fits, false, 'af-worker-3 has 4.5 CPU left at most');
});

test('a paged snapshot (one item per page) equals the unpaged one', { timeout: 180_000 }, async (t) => {
  const bed = openBed();
  t.after(() => bed.close());
  // Other tests schedule pods on the shared bed; the paged snapshot counts only when the cluster held still around it,
  // so it is taken again until an unpaged snapshot before and after it agree.
  const deadline = Date.now() + 120_000;
  for (let attempt = 1; ; attempt++) {
    const first = await snapshotFromCluster(bed.kubeConfig);
    const paged = await snapshotFromCluster(bed.kubeConfig, { pageSize: 1 });
    const last = await snapshotFromCluster(bed.kubeConfig);
    if (JSON.stringify(comparable(first)) === JSON.stringify(comparable(last))) {
      assert.deepEqual(comparable(paged), comparable(first), `attempt ${attempt}`);
      return;
    }
    if (Date.now() > deadline) {
      t.skip(`the cluster changed around each of ${attempt} paged snapshots in 120 s (other tests were scheduling pods)`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500 * Math.min(attempt, 6)));
  }
});

test('a snapshot with credentials the cluster refuses is an unauthorized error naming the cluster', async () => {
  const env = testbedEnv();
  const admin = new KubeConfig();
  admin.loadFromFile(env.adminKubeconfig);
  const cluster = admin.getCurrentCluster();
  assert.ok(cluster);
  const stranger = new KubeConfig();
  stranger.loadFromOptions({
    clusters: [cluster],
    users: [{ name: 'stranger', token: 'not-a-valid-token' }],
    contexts: [{ name: 'stranger', cluster: cluster.name, user: 'stranger' }],
    currentContext: 'stranger',
  });
  await assert.rejects(snapshotFromCluster(stranger), (error: unknown) => {
    assert.ok(isAfpError(error));
    assert.equal(error.code, 'unauthorized');
    assert.match(error.message, /^Listing the cluster's (nodes|pods): The API server rejected the credentials \(context "stranger"\)/);
    return true;
  });
});
