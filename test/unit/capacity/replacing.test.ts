import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { predictFit } from '../../../main/capacity/fit';
import { replacingEnvironment } from '../../../main/capacity/replacing';
import { freeResources, snapshotFromObjects } from '../../../main/capacity/snapshot';
import { apiNode, apiPod, podSpec, replicas } from './builders';

const inNamespace = (pod: V1Pod, namespace: string, managedBy: string): V1Pod => ({
  ...pod,
  metadata: { ...pod.metadata, namespace, labels: { 'app.kubernetes.io/managed-by': managedBy } },
});

describe('fitting an environment that already runs', () => {
  const nodes = [apiNode('n1', { cpu: '4', memory: '8Gi', pods: '10' })];
  const pods = [
    inNamespace(apiPod('worker-a', 'n1', podSpec('1', '2Gi')), 'dask-alice', 'afp'),
    inNamespace(apiPod('worker-b', 'n1', podSpec('1', '2Gi')), 'dask-alice', 'afp'),
    inNamespace(apiPod('jupyter-alice', 'n1', podSpec('500m', '1Gi')), 'dask-alice', 'kubespawner'),
    inNamespace(apiPod('other', 'n1', podSpec('1', '1Gi')), 'dask-bob', 'afp'),
  ];

  it("hands back the environment's own pods, and only them", () => {
    const { snapshot, pods: replaced } = replacingEnvironment(snapshotFromObjects(nodes, pods), 'dask-alice');
    assert.equal(replaced, 2);
    const free = freeResources(snapshot.byName.get('n1') ?? assert.fail('n1'));
    // 4 CPU − bob's 1 − alice's Jupyter server 0.5 (a user's server stays while the environment changes).
    assert.equal(free.cpu, 2500);
    assert.equal(free.pods, 8);
  });

  it('so the same two workers fit again, where counting them twice said Pending', () => {
    const before = snapshotFromObjects(nodes, pods);
    assert.equal(predictFit(before, replicas('worker', 2, '1', '2Gi')).allFit, false);
    assert.equal(predictFit(replacingEnvironment(before, 'dask-alice').snapshot, replicas('worker', 2, '1', '2Gi')).allFit, true);
  });

  it('changes nothing for a new environment', () => {
    const before = snapshotFromObjects(nodes, pods);
    const after = replacingEnvironment(before, 'dask-carol');
    assert.equal(after.pods, 0);
    assert.equal(after.snapshot, before);
  });
});
