import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kubectl, kubectlJson, testbedEnv } from '../../support/testbed';
import { envName, operationsFor, run } from './support';

interface Pods {
  items: {
    metadata: { name: string; deletionTimestamp?: string; labels?: Record<string, string> };
    status?: { conditions?: { type: string; status: string }[] };
  }[];
}

async function readyWorkers(namespace: string): Promise<number> {
  const pods = await kubectlJson<Pods>(['get', 'pods', '-n', namespace, '-l', 'app.kubernetes.io/component=worker']);
  return pods.items.filter(
    (p) => p.metadata.deletionTimestamp === undefined && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  ).length;
}

describe('resize and update', () => {
  test('Dask workers 3 → 8 → 2: each update converges, keeping the generated secrets', async (t) => {
    const name = envName(t, 'resize');
    const { operations, inventory } = operationsFor(t, [name]);
    const deploy = await operations.deploy({
      template: 'dask',
      name,
      kubeconfig: testbedEnv().adminKubeconfig,
      values: { workers: 3, workerCpu: '250m', workerMemory: '512Mi' },
      waitForReadyMs: 90_000,
    });
    assert.equal((await deploy.done).outcome, 'succeeded');
    assert.equal(await readyWorkers(name), 3);
    const parentBefore = await kubectlJson<{ metadata: { uid: string } }>(['get', 'secret', 'afp-applyset', '-n', name]);

    for (const workers of [8, 2]) {
      const { handle, events } = await run(operations, () => operations.update(name, { workers }, { waitForReadyMs: 90_000 }));
      const result = await handle.done;
      assert.equal(result.outcome, 'succeeded', JSON.stringify(result.error));
      assert.equal(result.readiness?.ready, true);
      assert.equal(await readyWorkers(name), workers, `${workers} workers ready when the update ends`);
      assert.ok(events.some((e) => e.type === 'workload' && e.name === 'worker' && e.ready === workers && e.desired === workers));
      assert.equal(inventory.get(name)?.values.workers, workers);
      assert.equal(inventory.get(name)?.operations.at(-1)?.values?.workers, workers);
    }
    const parentAfter = await kubectlJson<{ metadata: { uid: string } }>(['get', 'secret', 'afp-applyset', '-n', name]);
    assert.equal(parentAfter.metadata.uid, parentBefore.metadata.uid);
  });

  test('a component switched off leaves the plan and is pruned (ApplySet), the parent names only the kinds left', async (t) => {
    const name = envName(t, 'prune');
    const { operations } = operationsFor(t, [name]);
    const deploy = await operations.deploy({
      template: 'lab-dask',
      name,
      kubeconfig: testbedEnv().adminKubeconfig,
      values: { withCache: true },
    });
    assert.equal((await deploy.done).outcome, 'succeeded');
    assert.equal((await kubectl(['get', 'deployment/cache', 'service/cache', 'configmap/cache-files', '-n', name])).code, 0);
    const parent = async (): Promise<string> =>
      (await kubectlJson<{ metadata: { annotations: Record<string, string> } }>(['get', 'secret', 'afp-applyset', '-n', name])).metadata
        .annotations['applyset.kubernetes.io/contains-group-kinds'] ?? '';
    assert.match(await parent(), /ConfigMap/);

    const { handle, events } = await run(operations, () => operations.update(name, { withCache: false }));
    const result = await handle.done;
    assert.equal(result.outcome, 'succeeded', JSON.stringify(result.error));
    const pruned = events
      .filter((e) => e.type === 'object' && e.action === 'pruned')
      .map((e) => (e.type === 'object' ? `${e.kind}/${e.name}` : ''))
      .sort();
    assert.deepEqual(pruned, ['ConfigMap/cache-files', 'Deployment/cache', 'Service/cache']);
    assert.deepEqual(
      result.record?.objects
        .filter((o) => o.state === 'pruned')
        .map((o) => `${o.kind}/${o.name}`)
        .sort(),
      pruned,
    );
    for (const gone of ['deployment/cache', 'service/cache', 'configmap/cache-files']) {
      const got = await kubectl(['get', gone, '-n', name]);
      assert.notEqual(got.code, 0, `${gone} is gone`);
    }
    assert.doesNotMatch(await parent(), /ConfigMap/);
    // kubectl sees the same membership: every object carrying our part-of label is in the plan.
    const id =
      (await kubectlJson<{ metadata: { labels: Record<string, string> } }>(['get', 'secret', 'afp-applyset', '-n', name])).metadata.labels[
        'applyset.kubernetes.io/id'
      ] ?? '';
    const members = await kubectlJson<{ items: { kind: string; metadata: { name: string } }[] }>([
      'get',
      'deployments,services,configmaps,secrets',
      '-n',
      name,
      '-l',
      `applyset.kubernetes.io/part-of=${id}`,
    ]);
    assert.deepEqual(members.items.map((i) => `${i.kind}/${i.metadata.name}`).sort(), [
      'Deployment/scheduler',
      'Deployment/worker',
      'Service/scheduler',
    ]);
  });
});
