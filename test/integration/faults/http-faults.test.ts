/**
 * HTTP-level faults from the API server, through a proxy of this file's own on
 * the shared bed (token authentication; TCP-level cuts, resets, refusals and a
 * silent network are covered by tracking/fault-proxy.test.ts and
 * deploy/faults.test.ts): 410 Gone on watches, 503 on every read for a while,
 * 5xx on writes (passing, then lasting), watches cut every second while a
 * deploy waits for readiness. Each ends with the app showing what kubectl
 * shows within the backoff cap, and the record matching the cluster.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_BACKOFF } from '../../../main/kube/backoff';
import { createTracking } from '../../../main/tracking/index';
import { kubectl, kubectlOk } from '../../support/testbed';
import { envName, operationsFor } from '../deploy/support';
import { environmentNamespace, kubeRecordFor, slug, tempInventory, untilView, workload } from '../tracking/support';
import { missingFromCluster } from './cluster-truth';
import { startTokenProxy, type TokenProxy } from './token-proxy';

const CAP_MS = DEFAULT_BACKOFF.maxMs;

describe('HTTP-level API server faults (a proxy of this file)', { timeout: 240_000 }, () => {
  let dir: string;
  let via: TokenProxy;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'afp-faults-http-'));
    via = await startTokenProxy(`faults-http-${process.pid}`, dir);
  });
  after(async () => {
    await via?.proxy.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function trackedWorkload(t: Parameters<typeof slug>[0], prefix: string) {
    const name = slug(t, prefix);
    await environmentNamespace(t, name);
    await kubectlOk(['apply', '-n', name, '-f', '-'], { input: workload('web') });
    const inventory = tempInventory(t);
    const record = inventory.create(
      kubeRecordFor(name, {
        target: { kind: 'kube', kubeconfig: via.kubeconfig, context: 'afp-testbed', server: via.proxy.url, namespace: name },
      }),
    );
    const tracking = createTracking({ inventory, watch: { probeEveryMs: 2000 } });
    t.after(() => tracking.dispose());
    tracking.tracker.start();
    await untilView(tracking.tracker, record.id, 'Ready', (v) => v.status.phase === 'Ready', 30_000);
    const converged = async (replicas: number, from: number, what: string): Promise<number> => {
      await untilView(
        tracking.tracker,
        record.id,
        what,
        (v) => v.status.phase === 'Ready' && v.workloads.some((w) => w.name === 'web' && w.desired === replicas && w.ready === replicas),
        CAP_MS + 10_000,
      );
      const truth = await kubectlOk(['get', 'deployment', 'web', '-n', name, '-o', 'jsonpath={.spec.replicas}/{.status.readyReplicas}']);
      assert.equal(truth, `${replicas}/${replicas}`, 'kubectl agrees');
      return Date.now() - from;
    };
    return { name, inventory, record, tracking, converged };
  }

  test('tracking: watches answered 410 Gone relist, and the change made meanwhile is seen within the cap', async (t) => {
    const { name, converged } = await trackedWorkload(t, 'gone');
    t.after(() => via.proxy.clear());
    via.proxy.set({ httpErrors: [{ status: 410, method: 'GET', path: 'watch=(true|1)', times: 6 }] });
    const injectedBefore = via.proxy.stats().injectedErrors ?? 0;
    via.proxy.cut();
    await kubectlOk(['scale', 'deployment/web', '-n', name, '--replicas=2']);
    const at = Date.now();
    const ms = await converged(2, at, 'scaled to 2 after 410s');
    t.diagnostic(`410 Gone on ${(via.proxy.stats().injectedErrors ?? 0) - injectedBefore} watches; change seen in ${ms} ms`);
    assert.ok((via.proxy.stats().injectedErrors ?? 0) > injectedBefore, 'watches met 410');
    assert.ok(ms <= CAP_MS, `${ms} ms`);
  });

  test('tracking: every read answered 503 for 5 s; no false verdict meanwhile, and the change made during it is seen within the cap after', async (t) => {
    const { name, tracking, record, converged } = await trackedWorkload(t, 'unavail');
    const phases = new Set<string>();
    const stop = tracking.tracker.onBatch((batch) =>
      batch.deltas.forEach((d) => d.status !== undefined && d.environmentId === record.id && phases.add(d.status.phase)),
    );
    t.after(stop);
    t.after(() => via.proxy.clear());
    via.proxy.set({ httpErrors: [{ status: 503, method: 'GET' }] });
    via.proxy.cut();
    await kubectlOk(['scale', 'deployment/web', '-n', name, '--replicas=3']);
    await sleep(5000);
    via.proxy.clear();
    const clearedAt = Date.now();
    const ms = await converged(3, clearedAt, 'scaled to 3 after the 503s');
    t.diagnostic(`phases while reads failed: ${[...phases].join(', ') || 'none'}; converged ${ms} ms after they stopped`);
    assert.ok(!phases.has('Gone') && !phases.has('Failed') && !phases.has('Deleted'), [...phases].join(', '));
    assert.ok(ms <= CAP_MS, `${ms} ms`);
  });

  test('deploy: the first writes answered 503 are retried, and the deploy succeeds with the record matching the cluster', async (t) => {
    const name = envName(t, 'write503');
    const { operations, inventory } = operationsFor(t, [name]);
    t.after(() => via.proxy.clear());
    via.proxy.set({ httpErrors: [{ status: 503, method: 'PATCH', times: 3 }] });
    const retried: string[] = [];
    operations.onEvent(
      (e) => e.type === 'progress' && e.progress.type === 'object' && e.progress.action === 'retrying' && retried.push(e.progress.text),
    );
    const result = await (await operations.deploy({ template: 'lab-dask', name, kubeconfig: via.kubeconfig })).done;
    assert.equal(result.outcome, 'succeeded', JSON.stringify(result.error));
    assert.ok(retried.length >= 1, 'retries reported');
    t.diagnostic(`retried: ${retried[0] ?? ''}`);
    assert.deepEqual(await missingFromCluster(inventory.get(name)), []);
    assert.ok(inventory.get(name)?.objects.every((o) => o.state === 'applied'));
  });

  test('deploy: a Secret that keeps getting 500 fails the deploy plainly, naming it; the record says what was applied; resume converges', async (t) => {
    const name = envName(t, 'write500');
    const { operations, inventory } = operationsFor(t, [name]);
    t.after(() => via.proxy.clear());
    via.proxy.set({ httpErrors: [{ status: 500, method: 'PATCH', path: `/namespaces/${name}/secrets/` }] });
    const result = await (await operations.deploy({ template: 'lab-dask', name, kubeconfig: via.kubeconfig })).done;
    assert.equal(result.outcome, 'failed');
    assert.match(result.error?.message ?? '', /Secret/);
    assert.doesNotMatch(result.error?.message ?? '', /\n\s+at /);
    t.diagnostic(`failed: ${result.error?.message ?? ''}`);
    const record = inventory.get(name);
    assert.equal(record?.status.phase, 'Failed');
    assert.ok(
      record?.objects.some((o) => o.kind === 'Secret' && o.state === 'failed'),
      'the Secret is recorded as failed',
    );
    assert.deepEqual(await missingFromCluster(record), [], 'the record never claims more than the cluster has');
    const secrets = await kubectl(['get', 'secrets', '-n', name, '-o', 'name']);
    assert.doesNotMatch(secrets.stdout, /secret\//, 'no Secret reached the cluster');

    via.proxy.clear();
    const resumed = await (await operations.resume(name)).done;
    assert.equal(resumed.outcome, 'succeeded', JSON.stringify(resumed.error));
    assert.ok(inventory.get(name)?.objects.every((o) => o.state === 'applied'));
    assert.deepEqual(await missingFromCluster(inventory.get(name)), []);
  });

  test('deploy: watches cut every second while it waits for readiness; it still ends Ready, as kubectl says', async (t) => {
    const name = envName(t, 'readycut');
    const { operations, inventory } = operationsFor(t, [name]);
    t.after(() => via.proxy.clear());
    via.proxy.set({ cutEverySeconds: 1 });
    const began = Date.now();
    const result = await (await operations.deploy({ template: 'lab-dask', name, kubeconfig: via.kubeconfig, waitForReadyMs: 90_000 })).done;
    t.diagnostic(`Ready in ${Date.now() - began} ms with watches cut every second`);
    assert.equal(result.outcome, 'succeeded', JSON.stringify(result.error));
    assert.equal(inventory.get(name)?.status.phase, 'Ready');
    const rollout = await kubectl(['rollout', 'status', 'deployment', '-n', name, '--timeout=5s']);
    assert.equal(rollout.code, 0, rollout.stderr);
  });
});
