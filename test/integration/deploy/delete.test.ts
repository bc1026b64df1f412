import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kubectl, kubectlJson, kubectlOk, testbedEnv } from '../../support/testbed';
import { envName, operationsFor, run } from './support';

describe('delete', () => {
  test('deleting an environment waits until its namespace is gone, saying so, then drops the record', async (t) => {
    const name = envName(t, 'del');
    const { operations, inventory } = operationsFor(t, [name]);
    const deploy = await operations.deploy({
      template: 'lab-dask',
      name,
      kubeconfig: testbedEnv().adminKubeconfig,
      waitForReadyMs: 60_000,
    });
    assert.equal((await deploy.done).outcome, 'succeeded');

    const { handle, events } = await run(operations, () => operations.delete(name, { waitMs: 180_000 }));
    const result = await handle.done;
    assert.equal(result.outcome, 'succeeded', JSON.stringify(result.error));
    assert.equal(result.record, undefined);
    const got = await kubectl(['get', 'namespace', name]);
    assert.notEqual(got.code, 0, 'the namespace is gone when delete ends');
    assert.match(got.stderr, /NotFound/);
    const said = events.filter((e) => e.type === 'namespace').map((e) => e.text);
    assert.equal(said[0], `Namespace ${name} is being deleted…`);
    assert.equal(said.at(-1), `Namespace ${name} is gone.`);
    assert.equal(inventory.get(name), undefined);
  });

  test("a namespace the environment does not own is kept: only the environment's objects are deleted", async (t) => {
    const name = envName(t, 'shared');
    const { operations, inventory } = operationsFor(t, [name]);
    const deploy = await operations.deploy({ template: 'lab-dask', name, kubeconfig: testbedEnv().adminKubeconfig });
    assert.equal((await deploy.done).outcome, 'succeeded');
    // Someone else claims the namespace (as a site's shared namespace would be).
    await kubectlOk(['label', 'namespace', name, 'afp.dev/environment-id-', 'owner=physics']);
    await kubectlOk(['create', 'configmap', 'not-ours', '-n', name]);

    const handle = await operations.delete(name, { waitMs: 60_000 });
    const result = await handle.done;
    assert.equal(result.outcome, 'succeeded', JSON.stringify(result.error));
    const left = await kubectlJson<{ items: { kind: string; metadata: { name: string } }[] }>([
      'get',
      'deployments,services,configmaps,secrets',
      '-n',
      name,
    ]);
    const names = left.items.map((i) => `${i.kind}/${i.metadata.name}`);
    assert.ok(names.includes('ConfigMap/not-ours'), 'what is not ours stays');
    for (const gone of [
      'Deployment/scheduler',
      'Deployment/worker',
      'Deployment/cache',
      'Service/scheduler',
      'Secret/afp-applyset',
      'ConfigMap/cache-files',
    ])
      assert.ok(!names.includes(gone), `${gone} deleted`);
    assert.equal((await kubectl(['get', 'namespace', name])).code, 0, 'the namespace stays');
    assert.equal(inventory.get(name), undefined);
  });

  test('a deploy into an existing namespace that is not ours is refused, touching nothing', async (t) => {
    const name = envName(t, 'taken');
    await kubectlOk(['create', 'namespace', name]);
    const { operations, inventory } = operationsFor(t, [name]);
    const handle = await operations.deploy({ template: 'lab-dask', name, kubeconfig: testbedEnv().adminKubeconfig });
    const result = await handle.done;
    assert.equal(result.outcome, 'failed');
    assert.equal(result.error?.code, 'conflict');
    assert.equal(
      result.error?.message,
      `Namespace ${name} already exists and it was not created by AF Provisioner; choose another environment name.`,
    );
    const ns = await kubectlJson<{ metadata: { labels?: Record<string, string> } }>(['get', 'namespace', name]);
    assert.equal(ns.metadata.labels?.['app.kubernetes.io/managed-by'], undefined, 'the namespace was not labelled');
    assert.equal(inventory.get(name)?.status.phase, 'Failed');
    assert.ok(inventory.get(name)?.objects.every((o) => o.state === 'planned'));
  });
});
