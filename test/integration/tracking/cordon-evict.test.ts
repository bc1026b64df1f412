import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createTracking } from '../../../main/tracking/index';
import { kubectl, kubectlOk, waitUntil } from '../../support/testbed';
import { environmentNamespace, kubeRecordFor, slug, tempInventory, untilView, workload } from './support';

/**
 * A node of our own (kwok-simulated, tainted so nobody else's pods land on it,
 * removed afterwards): cordoning and draining a shared node would disturb the
 * other suites using the bed.
 */
it('shows Degraded with the reason when the node is cordoned and the pod evicted', { timeout: 120_000 }, async (t) => {
  const name = slug(t, 'cordon');
  const node = `trk-node-${name.slice(-6)}`;
  const taint = { key: 'afp.dev/tracking-test', value: node, effect: 'NoSchedule' };
  await kubectlOk(['create', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: node,
        labels: { 'kubernetes.io/hostname': node, type: 'kwok' },
        annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      },
      spec: { taints: [taint] },
      status: {
        allocatable: { cpu: '4', memory: '8Gi', pods: '20' },
        capacity: { cpu: '4', memory: '8Gi', pods: '20' },
        addresses: [{ type: 'InternalIP', address: '10.0.9.9' }],
      },
    }),
  });
  t.after(async () => {
    await kubectl(['delete', 'node', node, '--wait=false']);
  });
  await waitUntil(
    `node ${node} Ready`,
    async () => (await kubectl(['get', 'node', node, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'])).stdout === 'True',
    30_000,
  );

  await environmentNamespace(t, name);
  await kubectlOk(['apply', '-n', name, '-f', '-'], {
    input: workload('web', {
      nodeSelector: { 'kubernetes.io/hostname': node },
      tolerations: [{ key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect }],
    }),
  });
  const inventory = tempInventory(t);
  const record = inventory.create(kubeRecordFor(name));
  const tracking = createTracking({ inventory });
  t.after(() => tracking.dispose());
  tracking.tracker.start();
  await untilView(
    tracking.tracker,
    record.id,
    'Ready on our node',
    (v) => v.status.phase === 'Ready' && v.pods.some((p) => p.ready && p.node === node),
  );

  await kubectlOk(['cordon', node]);
  await kubectlOk([
    'drain',
    node,
    '--pod-selector=app.kubernetes.io/component=web',
    '--ignore-daemonsets',
    '--delete-emptydir-data',
    '--timeout=60s',
  ]);
  await untilView(
    tracking.tracker,
    record.id,
    'Degraded',
    (v) => v.status.phase === 'Degraded' && /evicted/.test(v.status.message ?? ''),
    15_000,
  );
  const view = tracking.tracker.view(record.id);
  t.diagnostic(view?.status.message ?? '');
  assert.match(
    view?.status.message ?? '',
    new RegExp(
      `^web-[a-z0-9]+-[a-z0-9]+: cannot be scheduled: 0/\\d+ nodes are available: .*1 node\\(s\\) were unschedulable.* It replaces web-[a-z0-9]+-[a-z0-9]+, evicted from node ${node}, which is cordoned\\.$`,
    ),
  );
  const pending = view?.pods.find((p) => p.phase === 'Pending');
  assert.match(pending?.reason ?? '', /^cannot be scheduled: 0\/\d+ nodes are available/, 'the pod row says why too');
  await waitUntil('Degraded stored', () => Promise.resolve(inventory.get(record.id)?.status.phase === 'Degraded'), 5000);

  await kubectlOk(['uncordon', node]);
  await untilView(tracking.tracker, record.id, 'Ready again after uncordon', (v) => v.status.phase === 'Ready', 30_000);
});
