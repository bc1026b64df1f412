import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kubectlOk, testbedEnv } from '../../support/testbed';
import { envName, operationsFor, run } from './support';

describe('field-manager conflicts', () => {
  test('a field changed outside the app is reported with its manager; taken over only when asked', async (t) => {
    const name = envName(t, 'conflict');
    const { operations, inventory } = operationsFor(t, [name]);
    const deploy = await operations.deploy({
      template: 'lab-dask',
      name,
      kubeconfig: testbedEnv().adminKubeconfig,
      values: { workers: 2 },
    });
    assert.equal((await deploy.done).outcome, 'succeeded');
    await kubectlOk(['scale', 'deployment', 'worker', '-n', name, '--replicas=5']);

    const refused = await (await operations.update(name, {})).done;
    assert.equal(refused.outcome, 'failed');
    assert.equal(refused.error?.code, 'conflict');
    assert.equal(refused.error?.field, '.spec.replicas');
    assert.match(
      refused.error?.message ?? '',
      /^Deployment worker: \.spec\.replicas is managed by "kubectl[\w-]*" — changed outside AF Provisioner\. Apply again with "force conflicts" to take it over\.$/,
    );
    assert.equal(inventory.get(name)?.objects.find((o) => o.kind === 'Deployment' && o.name === 'worker')?.state, 'failed');
    assert.equal(
      await kubectlOk(['get', 'deployment', 'worker', '-n', name, '-o', 'jsonpath={.spec.replicas}']),
      '5',
      'nothing was forced',
    );

    const { handle, events } = await run(operations, () => operations.update(name, {}, { forceConflicts: true }));
    const forced = await handle.done;
    assert.equal(forced.outcome, 'succeeded', JSON.stringify(forced.error));
    assert.ok(
      events.some(
        (e) => e.type === 'object' && e.action === 'conflict' && /taking over \.spec\.replicas from "kubectl[\w-]*", as asked/.test(e.text),
      ),
    );
    assert.equal(await kubectlOk(['get', 'deployment', 'worker', '-n', name, '-o', 'jsonpath={.spec.replicas}']), '2');
  });
});
