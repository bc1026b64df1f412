import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kubectlJson, testbedEnv } from '../../support/testbed';
import { envName, operationsFor, run } from './support';

interface Item {
  metadata: { name: string; resourceVersion: string; generation?: number; uid: string };
  spec?: { nodeName?: string };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
  data?: Record<string, string>;
}

describe('deploy with a kubeconfig', () => {
  test('analysis-facility deploys to Ready on kwok nodes, then a re-deploy changes nothing', async (t) => {
    const name = envName(t, 'af');
    const { operations, inventory } = operationsFor(t, [name]);
    const { handle, events } = await run(operations, () =>
      operations.deploy({
        template: 'analysis-facility',
        name,
        kubeconfig: testbedEnv().adminKubeconfig,
        values: { workers: 3 },
        waitForReadyMs: 120_000,
      }),
    );
    const result = await handle.done;
    assert.equal(result.outcome, 'succeeded', JSON.stringify(result.error));
    assert.equal(result.readiness?.ready, true);
    assert.equal(result.readiness?.text, 'all 5 workloads ready');

    const record = inventory.get(name);
    assert.equal(record?.status.phase, 'Ready');
    assert.equal(record?.operations.at(-1)?.outcome, 'succeeded');
    assert.ok(
      record?.objects.every((o) => o.state === 'applied'),
      JSON.stringify(record?.objects),
    );
    assert.equal(record?.target.kind === 'kube' ? record.target.namespace : '', name);

    const pods = await kubectlJson<{ items: Item[] }>(['get', 'pods', '-n', name]);
    assert.equal(pods.items.length, 7, 'hub, proxy, scheduler, minio and 3 workers');
    for (const pod of pods.items) {
      assert.match(pod.spec?.nodeName ?? '', /^af-/, `${pod.metadata.name} runs on a kwok node`);
      assert.equal(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True', `${pod.metadata.name} is Ready`);
    }
    // Progress said each pod's way to ready, and each wave.
    for (const pod of pods.items)
      assert.ok(
        events.some((e) => e.type === 'pod' && e.name === pod.metadata.name && e.state === 'ready'),
        `ready event for ${pod.metadata.name}`,
      );
    assert.deepEqual(
      events.filter((e) => e.type === 'wave').map((e) => e.text),
      // Wave 2 holds the LimitRange and 3 NetworkPolicies beside accounts, secrets, config and claims; wave 3 the quota beside the Services.
      ['Wave 1/4: 1/1 applied', 'Wave 2/4: 13/13 applied', 'Wave 3/4: 6/6 applied', 'Wave 4/4: 5/5 applied'],
    );

    // The same values again: server-side apply leaves every object as it was, pods keep running, secrets are kept.
    const kinds = 'deployments,services,configmaps,secrets,persistentvolumeclaims,serviceaccounts,roles,rolebindings';
    const before = await kubectlJson<{ items: Item[] }>(['get', kinds, '-n', name]);
    const again = await operations.update(name, {}, { waitForReadyMs: 60_000 });
    const second = await again.done;
    assert.equal(second.outcome, 'succeeded', JSON.stringify(second.error));
    assert.deepEqual(
      second.record?.objects.filter((o) => o.state !== 'applied'),
      [],
    );
    const after = await kubectlJson<{ items: Item[] }>(['get', kinds, '-n', name]);
    const versions = (list: { items: Item[] }): string[] => list.items.map((i) => `${i.metadata.uid}@${i.metadata.resourceVersion}`).sort();
    assert.deepEqual(versions(after), versions(before));
    const podsAfter = await kubectlJson<{ items: Item[] }>(['get', 'pods', '-n', name]);
    assert.deepEqual(podsAfter.items.map((p) => p.metadata.uid).sort(), pods.items.map((p) => p.metadata.uid).sort());
    assert.equal(inventory.get(name)?.operations.length, 2);
  });
});
