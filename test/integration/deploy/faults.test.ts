import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FaultProxy } from '../../testbed/fault/proxy';
import { adminTls, kubectl, testbedEnv } from '../../support/testbed';
import type { EnvironmentRecord } from '../../../main/inventory/record';
import { adminKubeconfigVia, envName, operationsFor } from './support';

/** Whether each recorded object exists in the cluster exactly when the record says it was applied. */
async function recordMatchesCluster(record: EnvironmentRecord): Promise<string[]> {
  const wrong: string[] = [];
  for (const object of record.objects) {
    const args =
      object.namespace === undefined ? ['get', object.kind, object.name] : ['get', object.kind, object.name, '-n', object.namespace];
    const exists = (await kubectl(args)).code === 0;
    if (exists !== (object.state === 'applied'))
      wrong.push(`${object.kind}/${object.name}: record ${object.state}, cluster ${exists ? 'has it' : 'has not'}`);
  }
  return wrong;
}

describe('faults during a deploy (a fault proxy of this test file, in front of the API server)', () => {
  let proxy: FaultProxy;
  let dir: string;
  let kubeconfig: string;

  before(async () => {
    const api = new URL(testbedEnv().apiServerUrl);
    proxy = await FaultProxy.start({
      name: 'deploy-faults',
      mode: 'tcp',
      upstream: { host: api.hostname, port: Number(api.port), tlsCa: adminTls().ca },
    });
    dir = mkdtempSync(path.join(os.tmpdir(), 'afp-faults-'));
    kubeconfig = adminKubeconfigVia(dir, proxy.url);
  });
  after(async () => {
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a connection reset mid-wave is survived: the requests in flight are retried and every object is applied', async (t) => {
    proxy.set({ latencyMs: { up: 100, down: 100 } });
    t.after(() => proxy.clear());
    const name = envName(t, 'reset');
    const { operations, inventory } = operationsFor(t, [name]);
    let resets = 0;
    const retried: string[] = [];
    operations.onEvent((event) => {
      if (event.type !== 'progress') return;
      const p = event.progress;
      // Wave 2's requests leave as wave 1 ends; they are held 100 ms by the proxy: reset while they travel.
      if (p.type === 'wave' && p.index === 0) setTimeout(() => (resets += proxy.resetConnections()), 50);
      if (p.type === 'object' && p.action === 'retrying') retried.push(p.text);
    });
    const handle = await operations.deploy({ template: 'lab-dask', name, kubeconfig });
    const result = await handle.done;
    assert.ok(resets >= 1, 'connections were reset');
    assert.equal(result.outcome, 'succeeded', JSON.stringify(result.error));
    assert.ok(retried.length >= 1, 'retries were reported');
    assert.match(retried[0] ?? '', /: attempt 1 failed \(.*\); retrying in \d+\.\d s$/);
    const record = inventory.get(name);
    assert.ok(record !== undefined);
    assert.ok(record.objects.every((o) => o.state === 'applied'));
    assert.deepEqual(await recordMatchesCluster(record), []);
  });

  test('cancel stops between requests: what was in flight finishes, nothing more is sent, the record says exactly what was applied', async (t) => {
    proxy.set({ latencyMs: { up: 100, down: 100 } });
    t.after(() => proxy.clear());
    const name = envName(t, 'cancel');
    const { operations, inventory } = operationsFor(t, [name]);
    let cancelled = false;
    operations.onEvent((event) => {
      if (cancelled || event.type !== 'progress' || event.progress.type !== 'wave' || event.progress.index !== 0) return;
      cancelled = true;
      setTimeout(() => operations.cancel(event.operationId), 50);
    });
    const handle = await operations.deploy({ template: 'analysis-facility', name, kubeconfig });
    const result = await handle.done;
    assert.equal(result.outcome, 'cancelled');
    assert.match(result.error?.message ?? '', /^Cancelled: 14 of 25 objects were applied, the others were not sent\.$/);
    const record = inventory.get(name);
    assert.ok(record !== undefined);
    assert.equal(record.status.phase, 'Cancelled');
    assert.equal(record.operations.at(-1)?.outcome, 'cancelled');
    assert.deepEqual(
      record.objects.filter((o) => o.state === 'applied').map((o) => o.kind),
      [
        'Namespace',
        'ServiceAccount',
        'Role',
        'RoleBinding',
        'Secret',
        'Secret',
        'Secret',
        'ConfigMap',
        'PersistentVolumeClaim',
        'PersistentVolumeClaim',
        'LimitRange',
        'NetworkPolicy',
        'NetworkPolicy',
        'NetworkPolicy',
      ],
    );
    assert.ok(
      record.objects.filter((o) => o.state !== 'applied').every((o) => o.state === 'planned' && o.message === 'not applied: cancelled'),
    );
    assert.deepEqual(await recordMatchesCluster(record), []);

    // Resuming applies the rest; the secrets already in the cluster are kept.
    const secretBefore = (await kubectl(['get', 'secret', 'hub', '-n', name, '-o', 'jsonpath={.data}'])).stdout;
    proxy.clear();
    const resumed = await (await operations.resume(name)).done;
    assert.equal(resumed.outcome, 'succeeded', JSON.stringify(resumed.error));
    assert.ok(inventory.get(name)?.objects.every((o) => o.state === 'applied'));
    assert.equal((await kubectl(['get', 'secret', 'hub', '-n', name, '-o', 'jsonpath={.data}'])).stdout, secretBefore);
  });
});
