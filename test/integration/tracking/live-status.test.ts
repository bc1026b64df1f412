import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTracking } from '../../../main/tracking/index';
import { openWatchCount } from '../../../main/kube/informer';
import { reconcile } from '../../../main/tracking/reconcile';
import { kubectl, kubectlJson, kubectlOk, waitUntil } from '../../support/testbed';
import { environmentNamespace, kubeRecordFor, nextBatch, slug, tempInventory, untilView, workload } from './support';

interface PodList {
  items: { metadata: { name: string; uid: string } }[];
}

describe('live status on the test bed', { timeout: 180_000 }, () => {
  it('shows a pod deleted with kubectl as replaced within 1 s', async (t) => {
    const name = slug(t, 'replace');
    await environmentNamespace(t, name);
    await kubectlOk(['apply', '-n', name, '-f', '-'], { input: workload('web', { replicas: 2 }) });
    const inventory = tempInventory(t);
    const record = inventory.create(kubeRecordFor(name));
    const tracking = createTracking({ inventory });
    t.after(() => tracking.dispose());
    tracking.tracker.start();
    await untilView(
      tracking.tracker,
      record.id,
      'web Ready with 2 pods',
      (v) => v.status.phase === 'Ready' && v.pods.filter((p) => p.ready).length === 2,
    );

    const before = await kubectlJson<PodList>(['get', 'pods', '-n', name]);
    const victim = before.items[0];
    assert.ok(victim !== undefined);
    const replaced = nextBatch(tracking.tracker, `pod ${victim.metadata.name} removed and a new pod added`, (batch) =>
      batch.deltas.some(
        (d) => d.environmentId === record.id && d.upserted?.pods?.some((p) => !before.items.some((b) => b.metadata.uid === p.id)) === true,
      ),
    );
    const removed = nextBatch(tracking.tracker, `pod ${victim.metadata.name} removed`, (batch) =>
      batch.deltas.some((d) => d.environmentId === record.id && d.removed?.pods?.includes(victim.metadata.uid) === true),
    );
    const spawnedAt = Date.now();
    await kubectlOk(['delete', 'pod', victim.metadata.name, '-n', name, '--wait=false']);
    const deletedAt = Date.now();
    await Promise.all([replaced, removed]);
    const latency = Date.now() - deletedAt;
    t.diagnostic(`replacement shown ${latency} ms after kubectl delete returned (${Date.now() - spawnedAt} ms after kubectl was started)`);
    assert.ok(latency <= 1000, `replacement shown after ${latency} ms`);
    const view = tracking.tracker.view(record.id);
    assert.equal(
      view?.pods.some((p) => p.id === victim.metadata.uid),
      false,
    );
    assert.equal(view?.pods.length, 2);
  });

  it('shows Gone when the namespace is deleted outside the app, and stores it', async (t) => {
    const name = slug(t, 'gone');
    await environmentNamespace(t, name);
    await kubectlOk(['apply', '-n', name, '-f', '-'], { input: workload('web') });
    const inventory = tempInventory(t);
    const record = inventory.create(kubeRecordFor(name));
    const tracking = createTracking({ inventory });
    t.after(() => tracking.dispose());
    tracking.tracker.start();
    await untilView(tracking.tracker, record.id, 'Ready', (v) => v.status.phase === 'Ready' && v.pods.length === 1);

    await kubectlOk(['delete', 'namespace', name, '--wait=false']);
    await untilView(tracking.tracker, record.id, 'Deleting (outside the app)', (v) => v.status.phase === 'Deleting', 10_000);
    assert.match(tracking.tracker.view(record.id)?.status.message ?? '', /being deleted outside the app/);
    await untilView(tracking.tracker, record.id, 'Gone', (v) => v.status.phase === 'Gone', 90_000);
    assert.equal(tracking.tracker.view(record.id)?.status.message, `Namespace ${name} was deleted outside the app.`);
    await waitUntil('Gone stored in the inventory', () => Promise.resolve(inventory.get(record.id)?.status.phase === 'Gone'), 5000);
  });

  it('reconciles at start-up: says what changed while the app was closed', async (t) => {
    const alive = slug(t, 'alive');
    const vanished = slug(t, 'vanished');
    await environmentNamespace(t, alive);
    await kubectlOk(['apply', '-n', alive, '-f', '-'], { input: workload('web', { annotations: { 'afp.dev/simulate': 'crash-loop' } }) });
    const inventory = tempInventory(t);
    inventory.create(kubeRecordFor(alive, { id: 'alive' }));
    inventory.create(kubeRecordFor(vanished, { id: 'vanished' }));
    // Let the crash loop show before "starting the app".
    await waitUntil(
      'CrashLoopBackOff',
      async () => (await kubectl(['get', 'pods', '-n', alive, '-o', 'jsonpath={..waiting.reason}'])).stdout.includes('CrashLoopBackOff'),
      30_000,
    );

    const tracking = createTracking({ inventory });
    t.after(() => tracking.dispose());
    const { changes, unanswered } = await reconcile(inventory, tracking.tracker, { timeoutMs: 15_000 });
    assert.deepEqual(unanswered, []);
    const texts = changes.map((c) => c.text).sort();
    t.diagnostic(texts.join('\n'));
    assert.equal(texts.length, 2);
    assert.match(texts.find((x) => x.startsWith(alive)) ?? '', new RegExp(`^${alive}: Ready → Degraded: web-[a-z0-9-]+: CrashLoopBackOff`));
    assert.equal(
      texts.find((x) => x.startsWith(vanished)),
      `${vanished}: Ready → Gone: Namespace ${vanished} was deleted outside the app.`,
    );
    assert.equal(inventory.get('vanished')?.status.phase, 'Gone');
    assert.equal(inventory.get('alive')?.status.phase, 'Degraded');
  });

  it("shows a JupyterHub user's server, which KubeSpawner starts and labels as its own, among the environment's pods", async (t) => {
    const name = slug(t, 'spawned');
    await environmentNamespace(t, name);
    await kubectlOk(['apply', '-n', name, '-f', '-'], { input: workload('hub') });
    const inventory = tempInventory(t);
    const record = inventory.create(kubeRecordFor(name));
    const tracking = createTracking({ inventory });
    t.after(() => tracking.dispose());
    tracking.tracker.start();
    await untilView(tracking.tracker, record.id, 'hub Ready', (v) => v.status.phase === 'Ready' && v.pods.length === 1);
    // The labels templates/jupyterhub.yaml gives KubeSpawner's common_labels.
    const userPod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'jupyter-alice',
        labels: {
          'app.kubernetes.io/managed-by': 'kubespawner',
          'app.kubernetes.io/instance': name,
          'app.kubernetes.io/component': 'jupyter-user',
        },
      },
      spec: {
        containers: [
          { name: 'notebook', image: 'quay.io/jupyter/scipy-notebook:2025-01-06', resources: { requests: { cpu: '10m', memory: '16Mi' } } },
        ],
      },
    };
    await kubectlOk(['apply', '-n', name, '-f', '-'], { input: JSON.stringify(userPod) });
    await untilView(
      tracking.tracker,
      record.id,
      "alice's server shown Running",
      (v) => v.pods.some((p) => p.name === 'jupyter-alice' && p.phase === 'Running'),
      15_000,
    );
    assert.equal(tracking.tracker.view(record.id)?.pods.find((p) => p.name === 'jupyter-alice')?.component, 'jupyter-user');
  });

  it('leaves no watch open once the environments are gone', async (t) => {
    const first = slug(t, 'leak-a');
    const second = slug(t, 'leak-b');
    await environmentNamespace(t, first);
    await environmentNamespace(t, second);
    const openBefore = openWatchCount();
    const inventory = tempInventory(t);
    inventory.create(kubeRecordFor(first, { id: 'a' }));
    inventory.create(kubeRecordFor(second, { id: 'b' }));
    const tracking = createTracking({ inventory });
    t.after(() => tracking.dispose());
    tracking.tracker.start();
    await waitUntil('both observed', () => Promise.resolve(tracking.tracker.allObserved()), 20_000);
    assert.equal(tracking.clusters.size, 1, 'one cluster watch shared by both environments');
    // 5 labelled kinds + namespaces + nodes cluster-wide, and events per namespace.
    await waitUntil('9 watches open', () => Promise.resolve(openWatchCount() - openBefore === 9), 10_000);

    inventory.remove('a');
    await waitUntil('events watch of the first namespace closed', () => Promise.resolve(openWatchCount() - openBefore === 8), 5000);
    assert.equal(tracking.clusters.size, 1);
    inventory.remove('b');
    await waitUntil('every watch closed', () => Promise.resolve(openWatchCount() - openBefore === 0), 5000);
    assert.equal(tracking.clusters.size, 0, 'the cluster watch went with its last environment');
  });
});
