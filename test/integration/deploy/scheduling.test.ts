import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kubectlJson, testbedEnv } from '../../support/testbed';
import { envName, operationsFor, run } from './support';

interface Events {
  items: {
    reason: string;
    message: string;
    eventTime?: string | null;
    lastTimestamp?: string | null;
    firstTimestamp?: string | null;
    involvedObject: { name: string };
  }[];
}

describe('progress to ready', () => {
  test('a Dask worker too large for any node shows the real FailedScheduling reason within 2 s, and the timeout names it', async (t) => {
    const name = envName(t, 'toolarge');
    const { operations, inventory } = operationsFor(t, [name]);
    const { handle, events } = await run(operations, () =>
      operations.deploy({
        template: 'lab-dask',
        name,
        kubeconfig: testbedEnv().adminKubeconfig,
        values: { workers: 1, workerMemory: '200Gi', withCache: false },
        waitForReadyMs: 8000,
      }),
    );
    const result = await handle.done;

    const seen = events.find((e) => e.type === 'pod' && e.state === 'unschedulable');
    assert.ok(seen !== undefined && seen.type === 'pod', 'an unschedulable pod was reported');
    assert.match(seen.message ?? '', /^0\/\d+ nodes are available: .*\d+ Insufficient memory/);
    assert.equal(seen.text, `${seen.name}: cannot be scheduled: ${seen.message ?? ''}`);

    const scheduler = await kubectlJson<Events>([
      'get',
      'events',
      '-n',
      name,
      '--field-selector',
      `reason=FailedScheduling,involvedObject.name=${seen.name}`,
    ]);
    const first = scheduler.items[0];
    assert.ok(first !== undefined, 'kube-scheduler recorded the event');
    assert.equal(seen.message, first.message, "the scheduler's own words");
    const happened = Date.parse(first.eventTime ?? first.firstTimestamp ?? first.lastTimestamp ?? '');
    const lag = seen.arrived - happened;
    t.diagnostic(`FailedScheduling reported ${lag} ms after kube-scheduler's event`);
    assert.ok(lag < 2000, `reported ${lag} ms after the event`);

    assert.equal(result.outcome, 'failed');
    assert.equal(result.error?.code, 'timeout');
    assert.match(
      result.error?.message ?? '',
      new RegExp(`^Not ready after 8 s: worker: 0/1 ready; ${seen.name}: Pending: 0/\\d+ nodes are available: `),
    );
    const record = inventory.get(name);
    assert.equal(record?.status.phase, 'Failed');
    assert.equal(record?.status.message, result.error?.message);
    assert.ok(
      record?.objects.every((o) => o.state === 'applied'),
      'every object was applied even though a pod cannot run',
    );
  });
});
