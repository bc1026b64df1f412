import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTracking } from '../../../main/tracking/index';
import { kubectlOk, waitUntil } from '../../support/testbed';
import { kubeletNode } from './kwok-kubelet';
import { environmentNamespace, kubeRecordFor, link, slug, tempInventory, untilView, workload } from './support';

async function get(url: string): Promise<{ ok: true; status: number; body: string } | { ok: false; error: string }> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    return { ok: true, status: response.status, body: await response.text() };
  } catch (error) {
    return { ok: false, error: String((error as { cause?: unknown }).cause ?? error) };
  }
}

describe('links through port-forwards', { timeout: 180_000 }, () => {
  it('a cluster-only link opens a port-forward on 127.0.0.1 that serves the Service, named, and closes when idle', async (t) => {
    const name = slug(t, 'pf');
    await environmentNamespace(t, name);
    const kubelet = await kubeletNode(t, name);
    await kubectlOk(['apply', '-n', name, '-f', '-'], { input: workload('minio', { port: 9001, ...kubelet.placement }) });
    const inventory = tempInventory(t);
    const record = inventory.create(kubeRecordFor(name, { links: [link('minio', 9001, { title: 'MinIO console', path: '/browser' })] }));
    const tracking = createTracking({ inventory, portForwardIdleMs: 1500 });
    t.after(() => tracking.dispose());
    tracking.tracker.start();
    await untilView(
      tracking.tracker,
      record.id,
      'MinIO ready with its link',
      (v) => v.status.phase === 'Ready' && v.links.some((l) => l.ready),
    );
    const before = tracking.tracker.view(record.id)?.links[0];
    assert.deepEqual(
      { title: before?.title, via: before?.via, url: before?.url },
      { title: 'MinIO console', via: 'port-forward', url: undefined },
    );

    const url = await tracking.tracker.openLink(record.id, 'minio-http');
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/browser$/);
    const answer = await get(url);
    assert.deepEqual(answer, { ok: true, status: 200, body: kubelet.body });
    assert.equal(await tracking.tracker.openLink(record.id, 'minio-http'), url, 'a second open reuses the forward');
    await untilView(tracking.tracker, record.id, 'the link shows its local URL', (v) => v.links[0]?.url === url, 5000);

    // Idle (no connection) for longer than the idle timeout: closed, and the link loses its URL.
    await waitUntil('forward closed when idle', () => Promise.resolve(tracking.forwards.keys().length === 0), 10_000);
    await untilView(tracking.tracker, record.id, 'the link back to on-demand', (v) => v.links[0]?.url === undefined, 5000);
    const after = await get(url);
    assert.equal(after.ok, false, 'nothing listens on the old port');
  });

  it('closes an open forward with its environment', async (t) => {
    const name = slug(t, 'pf-dispose');
    await environmentNamespace(t, name);
    const kubelet = await kubeletNode(t, name);
    await kubectlOk(['apply', '-n', name, '-f', '-'], { input: workload('hub', { port: 8081, ...kubelet.placement }) });
    const inventory = tempInventory(t);
    const record = inventory.create(kubeRecordFor(name, { links: [link('hub', 8081, { title: 'JupyterHub' })] }));
    const tracking = createTracking({ inventory });
    t.after(() => tracking.dispose());
    tracking.tracker.start();
    await untilView(tracking.tracker, record.id, 'hub ready', (v) => v.links.some((l) => l.ready));
    const url = await tracking.tracker.openLink(record.id, 'hub-http');
    assert.deepEqual(await get(url), { ok: true, status: 200, body: kubelet.body });
    inventory.remove(record.id);
    await waitUntil('forward closed with the environment', () => Promise.resolve(tracking.forwards.keys().length === 0), 5000);
    assert.equal((await get(url)).ok, false);
  });

  it('says why when the API server cannot reach the pod (the bed kwok nodes have no kubelet)', async (t) => {
    const name = slug(t, 'pf-unreachable');
    await environmentNamespace(t, name);
    await kubectlOk(['apply', '-n', name, '-f', '-'], { input: workload('dask', { port: 8787 }) });
    const inventory = tempInventory(t);
    const record = inventory.create(kubeRecordFor(name, { links: [link('dask', 8787, { title: 'Dask dashboard' })] }));
    const tracking = createTracking({ inventory });
    t.after(() => tracking.dispose());
    tracking.tracker.start();
    await untilView(tracking.tracker, record.id, 'dask ready', (v) => v.links.some((l) => l.ready));
    const url = await tracking.tracker.openLink(record.id, 'dask-http');
    const answer = await get(url);
    assert.equal(answer.ok, false, 'the browser gets a closed connection, not a hang');
    await waitUntil(
      'the error recorded',
      () => Promise.resolve(tracking.forwards.get(`${record.id}/dask-http`)?.lastError !== undefined),
      10_000,
    );
    const forward = tracking.forwards.get(`${record.id}/dask-http`);
    t.diagnostic(forward?.lastError?.message ?? '(no error recorded)');
    assert.match(forward?.lastError?.message ?? '', /^port-forward to Service dask in .*: .*(dialing backend|no such host|upgrad)/i);
  });

  it('refuses to open a link with no Ready pod behind it, in words', async (t) => {
    const name = slug(t, 'pf-none');
    await environmentNamespace(t, name);
    await kubectlOk(['apply', '-n', name, '-f', '-'], { input: workload('minio', { port: 9001, replicas: 0 }) });
    const inventory = tempInventory(t);
    const record = inventory.create(kubeRecordFor(name, { links: [link('minio', 9001)] }));
    const tracking = createTracking({ inventory });
    t.after(() => tracking.dispose());
    tracking.tracker.start();
    await untilView(tracking.tracker, record.id, 'observed', (v) => v.services.length === 1);
    await assert.rejects(tracking.tracker.openLink(record.id, 'minio-http'), /No Ready pod behind Service minio in .* yet\./);
    assert.deepEqual(tracking.forwards.keys(), []);
  });
});
