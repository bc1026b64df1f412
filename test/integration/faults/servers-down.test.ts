/**
 * The control plane itself failing, on a bed of this file's own (stopping the
 * API server or freezing etcd would break every suite sharing the usual bed):
 * the API server restarted and etcd frozen (SIGSTOP … SIGCONT), each while
 * tracking and while deploying. Every scenario ends with the app showing what
 * kubectl shows, within the backoff cap, and the record matching the cluster.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadCatalogue } from '../../../main/catalogue/catalogue';
import { EnvironmentOperations } from '../../../main/environments/operations';
import { DEFAULT_BACKOFF } from '../../../main/kube/backoff';
import { createTracking, type Tracking } from '../../../main/tracking/index';
import { Inventory } from '../../../main/inventory/inventory';
import type { EnvironmentRecord } from '../../../main/inventory/record';
import { FIXTURES } from '../deploy/support';
import { waitUntil } from '../../support/testbed';
import { untilView, workload } from '../tracking/support';
import { missingFromCluster } from './cluster-truth';
import { startPrivateBed, type PrivateBed } from './private-bed';

const CAP_MS = DEFAULT_BACKOFF.maxMs;
const MANAGED = { 'app.kubernetes.io/managed-by': 'afp' };

describe('servers down: API server restart and etcd frozen (a bed of this file)', { timeout: 300_000 }, () => {
  let bed: PrivateBed;
  let dir: string;
  let inventory: Inventory;
  let tracking: Tracking;
  let record: EnvironmentRecord;

  before(async () => {
    bed = await startPrivateBed();
    dir = mkdtempSync(path.join(os.tmpdir(), 'afp-faults-down-'));
    inventory = Inventory.open(dir);
    await bed.kubectlOk(
      ['apply', '-f', '-'],
      JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tracked', labels: MANAGED } }),
    );
    await waitKubectl('the default service account', ['get', 'serviceaccount', 'default', '-n', 'tracked']);
    await bed.kubectlOk(['apply', '-n', 'tracked', '-f', '-'], workload('web'));
    const now = new Date().toISOString();
    record = inventory.create({
      id: 'id-tracked',
      name: 'tracked',
      template: { name: 'lab-dask', version: '1.0.0' },
      values: {},
      target: {
        kind: 'kube',
        kubeconfig: bed.bed.env.adminKubeconfig,
        context: 'afp-testbed',
        server: bed.bed.env.apiServerUrl,
        namespace: 'tracked',
      },
      createdAt: now,
      updatedAt: now,
      status: { phase: 'Deploying', since: now },
      objects: [],
      links: [],
      operations: [],
    });
    tracking = createTracking({ inventory, watch: { probeEveryMs: 2000 } });
    tracking.tracker.start();
    await untilView(tracking.tracker, record.id, 'Ready', (v) => v.status.phase === 'Ready', 30_000);
  });
  after(async () => {
    tracking?.dispose();
    await bed?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  async function waitKubectl(what: string, args: string[]): Promise<void> {
    for (let i = 0; i < 150; i += 1) {
      if ((await bed.kubectl(args)).code === 0) return;
      await sleep(200);
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  /** What kubectl says the Deployment wants and has ready. */
  async function truth(): Promise<{ desired: number; ready: number }> {
    const out = await bed.kubectlOk([
      'get',
      'deployment',
      'web',
      '-n',
      'tracked',
      '-o',
      'jsonpath={.spec.replicas} {.status.readyReplicas}',
    ]);
    const [desired, ready] = out.split(' ').map((n) => Number(n || 0));
    return { desired: desired ?? 0, ready: ready ?? 0 };
  }

  async function untilTrue(t: TestContext, from: number, what: string): Promise<number> {
    const { desired } = await truth();
    await untilView(
      tracking.tracker,
      record.id,
      what,
      (v) => v.status.phase === 'Ready' && v.workloads.some((w) => w.name === 'web' && w.desired === desired && w.ready === desired),
      CAP_MS + 10_000,
    );
    const ms = Date.now() - from;
    assert.deepEqual(await truth(), { desired, ready: desired }, 'kubectl agrees');
    t.diagnostic(`${what}: ${ms} ms`);
    return ms;
  }

  test('tracking: the API server stops (Unknown, since when, stored), restarts, and the change made after it is seen within the backoff cap', async (t) => {
    const api = bed.bed.servers.get('kube-apiserver')!;
    const stoppedAt = Date.now();
    await api.stop();
    t.after(async () => {
      if (!api.running()) await api.start();
    });
    await untilView(tracking.tracker, record.id, 'Unknown while the API server is down', (v) => v.status.phase === 'Unknown', 20_000);
    assert.match(tracking.tracker.view(record.id)?.status.message ?? '', /^Cluster unreachable since \d{4}-.*(refused|reach|answer)/i);
    await waitUntil('the record says Unknown too', () => Promise.resolve(inventory.get(record.id)?.status.phase === 'Unknown'), 5000);
    t.diagnostic(`${Date.now() - stoppedAt} ms to Unknown`);
    await sleep(2000);
    await api.start();
    const upAt = Date.now();
    await bed.kubectlOk(['scale', 'deployment/web', '-n', 'tracked', '--replicas=3']);
    const ms = await untilTrue(t, upAt, 'API server back: scaled to 3 and Ready');
    assert.ok(ms <= CAP_MS + 5000, `converged in ${ms} ms`);
    await waitUntil('the record says Ready again', () => Promise.resolve(inventory.get(record.id)?.status.phase === 'Ready'), 5000);
  });

  test('tracking: etcd frozen for 6 s keeps the last true state (no false Gone or Failed), and a change queued meanwhile shows within the cap after it thaws', async (t) => {
    const phases = new Set<string>();
    const stop = tracking.tracker.onBatch((batch) => batch.deltas.forEach((d) => d.status !== undefined && phases.add(d.status.phase)));
    t.after(stop);
    bed.freeze('etcd');
    t.after(() => bed.thaw('etcd'));
    // kubectl waits on the frozen store; its change lands when etcd thaws.
    const scaled = bed.kubectl(['scale', 'deployment/web', '-n', 'tracked', '--replicas=1']);
    await sleep(6000);
    const during = tracking.tracker.view(record.id)?.status.phase;
    bed.thaw('etcd');
    const thawedAt = Date.now();
    const scale = await scaled;
    assert.equal(scale.code, 0, `the scale went through once etcd thawed: ${scale.stderr}`);
    const ms = await untilTrue(t, thawedAt, 'etcd thawed: scaled to 1 and Ready');
    assert.ok(ms <= CAP_MS + 5000, `converged in ${ms} ms`);
    t.diagnostic(`phase while frozen: ${during ?? 'none'}; phases sent: ${[...phases].join(', ') || 'none'}`);
    assert.ok(!phases.has('Gone') && !phases.has('Failed') && !phases.has('Deleted'), `no false verdict: ${[...phases].join(', ')}`);
  });

  async function deployThrough(
    t: TestContext,
    fault: (operations: EnvironmentOperations) => void,
  ): Promise<{
    record: EnvironmentRecord | undefined;
    outcome: string;
    message: string;
    name: string;
    operations: EnvironmentOperations;
    store: Inventory;
  }> {
    const store = Inventory.open(mkdtempSync(path.join(dir, 'deploy-')));
    const { kubeconfig, proxy } = await bed.proxied(`deploy-${t.name.slice(7, 20).replace(/\W+/g, '-')}`);
    // 60 ms each way spreads the waves over a few seconds, so the fault lands inside them.
    proxy.set({ latencyMs: { up: 60, down: 60 } });
    const operations = new EnvironmentOperations({ store, catalogue: () => loadCatalogue({ dirs: [FIXTURES] }) });
    fault(operations);
    const name = `down-${Math.random().toString(16).slice(2, 7)}`;
    const result = await (await operations.deploy({ template: 'lab-dask', name, kubeconfig, values: { workers: 2 } })).done;
    proxy.clear();
    return { record: store.get(name), outcome: result.outcome, message: result.error?.message ?? '', name, operations, store };
  }

  async function settleDeploy(t: TestContext, run: Awaited<ReturnType<typeof deployThrough>>): Promise<void> {
    assert.doesNotMatch(run.message, /\n\s+at /, 'no stack trace');
    assert.deepEqual(
      await missingFromCluster(run.record, (args) => bed.kubectl(args)),
      [],
      'the record never claims more than the cluster has',
    );
    if (run.outcome !== 'succeeded') {
      t.diagnostic(`deploy ended ${run.outcome}: ${run.message}; resuming`);
      assert.match(run.message, /API server|unreachable|refused|reset|answer|timed out|unavailable/i);
      const resumed = await (await run.operations.resume(run.name)).done;
      assert.equal(resumed.outcome, 'succeeded', JSON.stringify(resumed.error));
    }
    const record = run.store.get(run.name);
    assert.ok(
      record?.objects.every((o) => o.state === 'applied'),
      'every object applied',
    );
    assert.deepEqual(await missingFromCluster(record, (args) => bed.kubectl(args)), []);
  }

  test('deploy: the API server restarts after the first wave; the deploy retries or fails plainly, and ends with the record matching the cluster', async (t) => {
    const api = bed.bed.servers.get('kube-apiserver')!;
    let restart: Promise<void> | undefined;
    const run = await deployThrough(t, (operations) =>
      operations.onEvent((event) => {
        if (restart !== undefined || event.type !== 'progress' || event.progress.type !== 'wave' || event.progress.index !== 0) return;
        restart = (async () => {
          await api.stop();
          await sleep(1000);
          await api.start();
        })();
      }),
    );
    await restart;
    assert.ok(restart !== undefined, 'the API server was restarted mid-deploy');
    await settleDeploy(t, run);
  });

  test('deploy: etcd frozen for 4 s after the first wave; the requests wait and the deploy succeeds, the record matching the cluster', async (t) => {
    let thawed: Promise<void> | undefined;
    const began = Date.now();
    const run = await deployThrough(t, (operations) =>
      operations.onEvent((event) => {
        if (thawed !== undefined || event.type !== 'progress' || event.progress.type !== 'wave' || event.progress.index !== 0) return;
        bed.freeze('etcd');
        thawed = sleep(4000).then(() => bed.thaw('etcd'));
      }),
    );
    await thawed;
    assert.ok(thawed !== undefined, 'etcd was frozen mid-deploy');
    t.diagnostic(`deploy with a 4 s etcd freeze: ${run.outcome} in ${Date.now() - began} ms`);
    assert.equal(run.outcome, 'succeeded', run.message);
    await settleDeploy(t, run);
  });
});
