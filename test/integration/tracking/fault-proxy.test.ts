import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_BACKOFF } from '../../../main/kube/backoff';
import { createTracking } from '../../../main/tracking/index';
import { FaultProxy } from '../../testbed/fault/proxy';
import { kubeconfigYaml } from '../../testbed/kube/kubeconfig';
import { adminTls, kubectlOk, testbedEnv, waitUntil } from '../../support/testbed';
import { environmentNamespace, kubeRecordFor, slug, tempInventory, untilView, workload } from './support';

const CAP_MS = DEFAULT_BACKOFF.maxMs;

describe('tracking through a fault proxy', { timeout: 240_000 }, () => {
  let proxy: FaultProxy;
  let kubeconfig: string;

  before(async () => {
    const tls = adminTls();
    const api = new URL(testbedEnv().apiServerUrl);
    // A proxy of our own: its cuts must not reach the suites running beside us.
    proxy = await FaultProxy.start({
      name: 'tracking-api',
      mode: 'tcp',
      upstream: { host: api.hostname, port: Number(api.port), tlsCa: tls.ca },
    });
    kubeconfig = path.join(testbedEnv().dir, `tracking-proxy-${process.pid}.kubeconfig`);
    writeFileSync(kubeconfig, kubeconfigYaml({ server: proxy.url, caPem: tls.ca, clientCertPem: tls.cert, clientKeyPem: tls.key }), {
      mode: 0o600,
    });
  });
  after(() => proxy.close());

  it('never leaves a stale status longer than the backoff cap while watches are cut every 2 s', async (t) => {
    const name = slug(t, 'cuts');
    await environmentNamespace(t, name);
    await kubectlOk(['apply', '-n', name, '-f', '-'], { input: workload('web') });
    const inventory = tempInventory(t);
    const record = inventory.create(
      kubeRecordFor(name, { target: { kind: 'kube', kubeconfig, context: 'afp-testbed', server: proxy.url, namespace: name } }),
    );
    const tracking = createTracking({ inventory });
    t.after(() => tracking.dispose());
    tracking.tracker.start();
    await untilView(tracking.tracker, record.id, 'Ready', (v) => v.status.phase === 'Ready');

    proxy.set({ cutEverySeconds: 2, cutMinAgeMs: 500 });
    t.after(() => proxy.clear());
    const connectionsBefore = proxy.stats().totalConnections;
    const latencies: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      const replicas = (i % 3) + 1;
      await kubectlOk(['scale', 'deployment/web', '-n', name, `--replicas=${replicas}`]);
      const changedAt = Date.now();
      await untilView(
        tracking.tracker,
        record.id,
        `web scaled to ${replicas}`,
        (v) => v.workloads.some((w) => w.name === 'web' && w.desired === replicas),
        CAP_MS + 5000,
      );
      latencies.push(Date.now() - changedAt);
      await sleep(300 + Math.random() * 1700);
    }
    const reconnects = proxy.stats().totalConnections - connectionsBefore;
    latencies.sort((a, b) => a - b);
    t.diagnostic(`latencies under cuts (ms): ${latencies.join(', ')}; connections opened meanwhile: ${reconnects}`);
    assert.ok(reconnects >= 10, `the proxy cut the watches (${reconnects} new connections)`);
    assert.ok((latencies.at(-1) ?? Infinity) <= CAP_MS, `worst staleness ${latencies.at(-1)} ms exceeds the ${CAP_MS} ms cap`);
    await untilView(tracking.tracker, record.id, 'Ready after the scaling', (v) => v.status.phase === 'Ready', CAP_MS + 20_000);
  });

  it('shows Unknown with since-when when the cluster cannot be reached, and recovers', async (t) => {
    const name = slug(t, 'down');
    await environmentNamespace(t, name);
    await kubectlOk(['apply', '-n', name, '-f', '-'], { input: workload('web') });
    const inventory = tempInventory(t);
    const record = inventory.create(
      kubeRecordFor(name, { target: { kind: 'kube', kubeconfig, context: 'afp-testbed', server: proxy.url, namespace: name } }),
    );
    const tracking = createTracking({ inventory });
    t.after(() => tracking.dispose());
    tracking.tracker.start();
    await untilView(tracking.tracker, record.id, 'Ready', (v) => v.status.phase === 'Ready');

    proxy.set({ refuseConnections: true });
    t.after(() => proxy.clear());
    const cutAt = Date.now();
    proxy.resetConnections();
    await untilView(tracking.tracker, record.id, 'Unknown', (v) => v.status.phase === 'Unknown', 15_000);
    const view = tracking.tracker.view(record.id);
    t.diagnostic(`${Date.now() - cutAt} ms to Unknown: ${view?.status.message ?? ''}`);
    assert.match(view?.status.message ?? '', /^Cluster unreachable since \d{4}-\d\d-\d\dT[\d:.]+Z: .*not reachable|reset|refused/i);
    const since = Date.parse(view?.status.since ?? '');
    assert.ok(Math.abs(since - cutAt) < 2000, `since ${view?.status.since} should be the moment of the cut`);
    await waitUntil('Unknown stored', () => Promise.resolve(inventory.get(record.id)?.status.phase === 'Unknown'), 5000);

    proxy.clear();
    const backAt = Date.now();
    await untilView(tracking.tracker, record.id, 'Ready again', (v) => v.status.phase === 'Ready', CAP_MS + 5000);
    t.diagnostic(`${Date.now() - backAt} ms back to Ready`);
  });

  it('notices a network that goes silent (no FIN, no RST) through its probe, and recovers', async (t) => {
    const name = slug(t, 'silent');
    await environmentNamespace(t, name);
    await kubectlOk(['apply', '-n', name, '-f', '-'], { input: workload('web') });
    const inventory = tempInventory(t);
    const record = inventory.create(
      kubeRecordFor(name, { target: { kind: 'kube', kubeconfig, context: 'afp-testbed', server: proxy.url, namespace: name } }),
    );
    const tracking = createTracking({ inventory, watch: { probeEveryMs: 2000 } });
    t.after(() => tracking.dispose());
    tracking.tracker.start();
    await untilView(tracking.tracker, record.id, 'Ready', (v) => v.status.phase === 'Ready');

    proxy.pause();
    t.after(() => proxy.clear());
    const pausedAt = Date.now();
    // The probe gives up after 10 s; the cluster is then unreachable. Seen at 11 s with three CPU burners beside
    // the bed; a CI run once missed 25 s, so the bound leaves room for a starved event loop.
    await untilView(tracking.tracker, record.id, 'Unknown', (v) => v.status.phase === 'Unknown', 40_000);
    const unknownAt = Date.now();
    const silent = tracking.tracker.view(record.id)?.status;
    t.diagnostic(`${unknownAt - pausedAt} ms to Unknown on a silent network: ${silent?.message ?? ''}`);
    assert.match(
      silent?.message ?? '',
      /^Cluster unreachable since .*: The Kubernetes API server https:\/\/127\.0\.0\.1:\d+ did not answer within 10 s\.$/,
    );
    // "Since" is when the probe that met the silence was sent (in flight at the pause at the earliest), not when its
    // 10 s timeout gave up. How soon after the pause that probe went depends on the machine's timers (CI saw 7 s
    // on a loaded run), so the upper bound is the timeout, not the probe interval.
    const since = Date.parse(silent?.since ?? '');
    assert.ok(since - pausedAt > -2500, `since ${since - pausedAt} ms after the network went silent`);
    assert.ok(
      unknownAt - since >= 9_900,
      `since ${unknownAt - since} ms before Unknown was shown: the moment the probe gave up, not when it was sent`,
    );
    proxy.resume();
    const resumedAt = Date.now();
    await kubectlOk(['scale', 'deployment/web', '-n', name, '--replicas=2']);
    await untilView(
      tracking.tracker,
      record.id,
      'Ready with the change made meanwhile',
      (v) => v.status.phase === 'Ready' && v.workloads.some((w) => w.desired === 2 && w.ready === 2),
      CAP_MS + 15_000,
    );
    t.diagnostic(`${Date.now() - resumedAt} ms back to Ready`);
  });

  it('closes every connection when tracking is disposed', async (t) => {
    const name = slug(t, 'close');
    await environmentNamespace(t, name);
    const inventory = tempInventory(t);
    inventory.create(
      kubeRecordFor(name, { target: { kind: 'kube', kubeconfig, context: 'afp-testbed', server: proxy.url, namespace: name } }),
    );
    const tracking = createTracking({ inventory });
    tracking.tracker.start();
    await waitUntil('observed', () => Promise.resolve(tracking.tracker.allObserved()), 20_000);
    await waitUntil('watch connections open', () => Promise.resolve(proxy.stats().openConnections >= 8), 10_000);
    tracking.dispose();
    await waitUntil('no connection left through the proxy', () => Promise.resolve(proxy.stats().openConnections === 0), 5000);
  });
});
