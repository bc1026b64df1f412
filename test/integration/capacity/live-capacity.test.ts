/**
 * The watch-fed capacity cache against the bed's API server (kwok nodes and
 * pods: simulated, which is all a capacity reading looks at). It must agree
 * with a fresh paged list, follow pods that come, get scheduled and go without
 * listing again, and fail plainly when the cluster cannot be read.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig } from '@kubernetes/client-node';
import { LiveCapacity } from '../../../main/capacity/live-capacity';
import { snapshotFromCluster } from '../../../main/capacity/snapshot-cluster';
import type { ClusterSnapshot } from '../../../main/capacity/snapshot';
import { isAfpError } from '../../../main/errors';
import { createAndAwaitDecision, createNamespace, deleteNamespace, openBed } from './bed';

const GI = 1024 ** 3;

function comparable(snapshot: ClusterSnapshot): unknown {
  return {
    nodes: snapshot.nodes.map((node) => ({
      name: node.name,
      labels: node.labels,
      taints: node.taints,
      unschedulable: node.unschedulable,
      allocatable: node.allocatable,
      requested: node.requested,
      nonZeroRequested: node.nonZeroRequested,
    })),
    unscheduledPods: snapshot.unscheduledPods,
    managed: [...(snapshot.managed ?? new Map<string, ReadonlyMap<string, unknown>>())].map(([namespace, byNode]) => [
      namespace,
      [...byNode],
    ]),
  };
}

/** Waits until the cache shows what `ok` wants (watch events arrive within moments). */
async function until(live: LiveCapacity, ok: (snapshot: ClusterSnapshot) => boolean, what: string): Promise<ClusterSnapshot> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const snapshot = await live.snapshot();
    if (ok(snapshot)) return snapshot;
    if (Date.now() > deadline) throw new Error(`the live cache never showed ${what}`);
    await sleep(100);
  }
}

/** A list taken after the cache's reading is the cluster as the cache should see it (other tests may run: retried). */
async function agreesWithList(live: LiveCapacity, kubeConfig: KubeConfig): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const cached = await live.snapshot();
    const listed = await snapshotFromCluster(kubeConfig);
    if (JSON.stringify(comparable(cached)) === JSON.stringify(comparable(listed))) return true;
    await sleep(500);
  }
  return false;
}

test('the live capacity cache equals a fresh list, then follows pods as they come, wait and go', async (t) => {
  const bed = openBed();
  const live = new LiveCapacity(bed.kubeConfig);
  t.after(() => {
    live.dispose();
    bed.close();
  });
  const namespace = `live-${randomBytes(3).toString('hex')}`;
  await createNamespace(bed.core, namespace);
  t.after(() => deleteNamespace(bed.core, namespace));

  assert.ok(await agreesWithList(live, bed.kubeConfig), 'the cache and a fresh paged list of the same cluster agree');

  const worker = 'af-worker-4';
  const before = (await live.snapshot()).byName.get(worker)?.requested ?? {};
  const spec = (cpu: string, memory: string, node = worker) => ({
    nodeSelector: { 'kubernetes.io/hostname': node },
    terminationGracePeriodSeconds: 0,
    containers: [{ name: 'main', image: 'registry.example/app:1', resources: { requests: { cpu, memory } } }],
  });
  await createAndAwaitDecision(bed.core, namespace, 'a', spec('1250m', '3Gi'));
  const grown = await until(live, (s) => (s.byName.get(worker)?.requested.cpu ?? 0) === (before.cpu ?? 0) + 1250, 'pod a on its node');
  assert.equal(grown.byName.get(worker)?.requested.memory, (before.memory ?? 0) + 3 * GI);
  assert.equal(grown.byName.get(worker)?.requested.pods, (before.pods ?? 0) + 1);

  // A pod no node can take stays Pending: counted as unscheduled, taking nothing.
  const pendingBefore = grown.unscheduledPods;
  await createAndAwaitDecision(bed.core, namespace, 'too-big', spec('500', '1Gi'));
  await until(live, (s) => s.unscheduledPods === pendingBefore + 1, 'the Pending pod');

  await bed.core.deleteNamespacedPod({ name: 'a', namespace, gracePeriodSeconds: 0 });
  await bed.core.deleteNamespacedPod({ name: 'too-big', namespace, gracePeriodSeconds: 0 });
  const shrunk = await until(
    live,
    (s) => (s.byName.get(worker)?.requested.cpu ?? 0) === (before.cpu ?? 0) && s.unscheduledPods === pendingBefore,
    'both pods gone',
  );
  assert.equal(shrunk.byName.get(worker)?.requested.pods, before.pods ?? 0);
  // After those changes (each rebuilt only the node it touched), the whole reading still equals a fresh list.
  assert.ok(await agreesWithList(live, bed.kubeConfig), 'after pods came and went, the cache and a fresh paged list agree');
});

test('a live reading of a cluster that refuses the credentials fails with the API server refusal', async (t) => {
  const bed = openBed();
  t.after(() => bed.close());
  const cluster = bed.kubeConfig.getCurrentCluster();
  assert.ok(cluster);
  const stranger = new KubeConfig();
  stranger.loadFromOptions({
    clusters: [cluster],
    users: [{ name: 'stranger', token: 'not-a-token' }],
    contexts: [{ name: 'stranger', cluster: cluster.name, user: 'stranger' }],
    currentContext: 'stranger',
  });
  const live = new LiveCapacity(stranger, { firstListTimeoutMs: 20_000 });
  t.after(() => live.dispose());
  await assert.rejects(live.snapshot(), (error: unknown) => {
    assert.ok(isAfpError(error), `an AfpError, got ${String(error)}`);
    assert.equal(error.code, 'unauthorized');
    return true;
  });
});
