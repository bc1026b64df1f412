import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inventory } from '../../../main/inventory/inventory';
import type { StatusSource } from '../../../main/tracking/status-source';
import { EnvironmentTracker, type TrackerBatch } from '../../../main/tracking/tracker';
import { emptySections, type LinkView, type Observation, type PodView } from '../../../main/tracking/views';
import { kubeRecord } from './records';

/** A StatusSource the test drives by hand: the interface IM and kube sources implement. */
class ScriptedSource implements StatusSource {
  observation: Observation | undefined;
  disposed = false;
  private changed: () => void = () => undefined;

  start(changed: () => void): void {
    this.changed = changed;
  }

  observe(): Observation | undefined {
    return this.observation;
  }

  set(observation: Observation): void {
    this.observation = observation;
    this.changed();
  }

  dispose(): void {
    this.disposed = true;
  }
}

const pod = (id: string, version: string, ready = true): PodView => ({
  id,
  version,
  name: id,
  phase: 'Running',
  ready,
  restarts: 0,
  createdAt: '',
});

/** The phase on disk, read past the inventory (whose reads take the lock too). */
function readStoredPhase(file: string): string | undefined {
  const data = JSON.parse(readFileSync(file, 'utf8')) as { environments?: { id: string; status: { phase: string } }[] };
  return data.environments?.find((e) => e.id === 'a')?.status.phase;
}

function setup(
  t: TestContext,
  batchMs = 40,
): { inventory: Inventory; tracker: EnvironmentTracker; sources: Map<string, ScriptedSource>; batches: TrackerBatch[]; dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-tracker-'));
  const inventory = Inventory.open(dir);
  const sources = new Map<string, ScriptedSource>();
  const tracker = new EnvironmentTracker({
    inventory,
    batchMs,
    syncEveryMs: 50,
    persistMessageEveryMs: 60_000,
    sources: [
      (record) => {
        const source = new ScriptedSource();
        sources.set(record.id, source);
        return source;
      },
    ],
  });
  const batches: TrackerBatch[] = [];
  tracker.onBatch((b) => batches.push(b));
  t.after(() => {
    tracker.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  return { inventory, tracker, sources, batches, dir };
}

describe('EnvironmentTracker batching', () => {
  it('gathers changes for batchMs and sends one delta per environment with only the rows that changed', async (t) => {
    const { inventory, tracker, sources, batches } = setup(t);
    inventory.create(kubeRecord({ id: 'a', name: 'a' }));
    inventory.create(kubeRecord({ id: 'b', name: 'b' }));
    tracker.start();
    const a = sources.get('a');
    const b = sources.get('b');
    assert.ok(a !== undefined && b !== undefined);

    a.set({ phase: 'Ready', ...emptySections(), pods: [pod('p1', '1'), pod('p2', '1')] });
    b.set({ phase: 'Degraded', message: 'x', ...emptySections() });
    a.set({ phase: 'Ready', ...emptySections(), pods: [pod('p1', '1'), pod('p2', '1'), pod('p3', '1')] });
    await sleep(120);
    assert.equal(batches.length, 1, 'three changes within the window make one batch');
    const first = batches[0]?.deltas ?? [];
    assert.deepEqual(first.map((d) => d.environmentId).sort(), ['a', 'b']);
    assert.deepEqual(
      first.find((d) => d.environmentId === 'a')?.upserted?.pods?.map((p) => p.id),
      ['p1', 'p2', 'p3'],
    );

    a.set({ phase: 'Ready', ...emptySections(), pods: [pod('p1', '2'), pod('p3', '1')] });
    await sleep(120);
    assert.equal(batches.length, 2);
    const second = batches[1]?.deltas ?? [];
    assert.equal(second.length, 1, 'b did not change and is not in the batch');
    assert.equal(second[0]?.environmentId, 'a');
    assert.deepEqual(second[0]?.upserted, { pods: [pod('p1', '2')] });
    assert.deepEqual(second[0]?.removed, { pods: ['p2'] });
    assert.equal(second[0]?.status, undefined, 'the status did not change');

    a.set({ phase: 'Ready', ...emptySections(), pods: [pod('p1', '2'), pod('p3', '1')] });
    await sleep(120);
    assert.equal(batches.length, 2, 'an unchanged observation sends nothing');
  });

  it('sends a change after a quiet spell at once, and at most one batch per batchMs under a stream', async (t) => {
    const { inventory, tracker, sources, batches } = setup(t, 100);
    inventory.create(kubeRecord({ id: 'a', name: 'a' }));
    tracker.start();
    const a = sources.get('a');
    assert.ok(a !== undefined);
    const quietAt = Date.now();
    a.set({ phase: 'Degraded', ...emptySections() });
    while (batches.length === 0) await sleep(2);
    const firstMs = Date.now() - quietAt;
    assert.ok(firstMs < 60, `first batch after ${firstMs} ms`);

    const streamStart = Date.now();
    let n = 0;
    while (Date.now() - streamStart < 1000) {
      a.set({ phase: 'Degraded', ...emptySections(), pods: [pod('p', String(n++))] });
      await sleep(5);
    }
    await sleep(150);
    const during = batches.length - 1;
    assert.ok(during >= 8 && during <= 12, `${during} batches for a 1 s stream at batchMs 100`);
  });

  it('writes phase changes to the inventory at once, keeps `since` while the phase holds, and throttles message-only changes', async (t) => {
    const { inventory, tracker, sources } = setup(t);
    inventory.create(kubeRecord({ id: 'a', name: 'a', status: { phase: 'Ready', since: '2025-01-01T00:00:00.000Z' } }));
    tracker.start();
    const a = sources.get('a');
    assert.ok(a !== undefined);
    a.set({ phase: 'Degraded', message: 'web-1: CrashLoopBackOff.', ...emptySections() });
    await sleep(100);
    const stored = inventory.get('a')?.status;
    assert.equal(stored?.phase, 'Degraded');
    assert.equal(stored?.message, 'web-1: CrashLoopBackOff.');
    assert.notEqual(stored?.since, '2025-01-01T00:00:00.000Z');

    a.set({ phase: 'Degraded', message: 'web-1: CrashLoopBackOff (restarted 2 times).', ...emptySections() });
    await sleep(100);
    assert.equal(inventory.get('a')?.status.message, 'web-1: CrashLoopBackOff.', 'message-only change not written yet');
    assert.equal(tracker.view('a')?.status.message, 'web-1: CrashLoopBackOff (restarted 2 times).', 'but shown live');
    assert.equal(tracker.view('a')?.status.since, stored?.since);
  });

  it('writes a phase change that met the file locked by another process once the lock is released', async (t) => {
    const { inventory, tracker, sources } = setup(t);
    inventory.create(kubeRecord({ id: 'a', name: 'a', status: { phase: 'Ready', since: '2025-01-01T00:00:00.000Z' } }));
    tracker.start();
    // A live process (this one, under another name) holds the lock past the 3 s wait.
    writeFileSync(`${inventory.path}.lock`, `${process.pid} ${Date.now()}`);
    sources.get('a')?.set({ phase: 'Gone', message: 'Namespace a was deleted outside the app.', ...emptySections() });
    await sleep(3500);
    assert.equal(readStoredPhase(inventory.path), 'Ready', 'not written while locked');
    rmSync(`${inventory.path}.lock`);
    await sleep(2500);
    assert.equal(inventory.get('a')?.status.phase, 'Gone');
    assert.equal(inventory.get('a')?.status.message, 'Namespace a was deleted outside the app.');
  });

  it('flush(true) stores what a source already shows but has not announced', (t) => {
    const { inventory, tracker, sources } = setup(t, 60_000);
    inventory.create(kubeRecord({ id: 'a', name: 'a', status: { phase: 'Ready', since: '2025-01-01T00:00:00.000Z' } }));
    tracker.start();
    const a = sources.get('a');
    assert.ok(a !== undefined);
    a.observation = { phase: 'Gone', ...emptySections() };
    tracker.flush();
    assert.equal(inventory.get('a')?.status.phase, 'Ready');
    tracker.flush(true);
    assert.equal(inventory.get('a')?.status.phase, 'Gone');
  });

  it('stops a removed environment: its source is disposed and an untracked delta goes out', async (t) => {
    const { inventory, tracker, sources, batches } = setup(t);
    inventory.create(kubeRecord({ id: 'a', name: 'a' }));
    tracker.start();
    inventory.remove('a');
    await sleep(100);
    assert.equal(sources.get('a')?.disposed, true);
    assert.equal(tracker.trackedCount, 0);
    assert.deepEqual(batches.at(-1)?.deltas, [{ environmentId: 'a', name: 'a', untracked: true }]);
  });

  it('picks up records another process wrote to the same file', async (t) => {
    const { tracker, sources, dir } = setup(t);
    tracker.start();
    Inventory.open(dir).create(kubeRecord({ id: 'cli', name: 'from-cli' }));
    await sleep(150);
    assert.equal(tracker.trackedCount, 1);
    assert.ok(sources.has('cli'));
    Inventory.open(dir).remove('cli');
    await sleep(150);
    assert.equal(tracker.trackedCount, 0);
    assert.equal(sources.get('cli')?.disposed, true);
  });

  it('answers the list from what it sent while nothing is pending, and looks again once a change is announced', (t) => {
    const { inventory, tracker, sources } = setup(t, 60_000);
    inventory.create(kubeRecord({ id: 'a', name: 'a' }));
    tracker.start();
    const a = sources.get('a');
    assert.ok(a !== undefined);
    const link: LinkView = {
      id: 'web',
      version: '1',
      title: 'Web',
      component: 'web',
      via: 'ingress',
      url: 'https://web.example',
      ready: true,
    };
    a.set({ phase: 'Ready', ...emptySections(), pods: [pod('p1', '1')], links: [link] });
    tracker.flush();
    let observed = 0;
    const observe = a.observe.bind(a);
    a.observe = () => {
      observed += 1;
      return observe();
    };
    assert.deepEqual(tracker.summary('a'), { status: tracker.view('a')?.status, links: [link] });
    observed = 0;
    assert.equal(tracker.summary('a')?.status.phase, 'Ready');
    assert.equal(observed, 0, 'no pod rows are built for the list while nothing changed');
    a.set({ phase: 'Degraded', message: 'p1 crashed', ...emptySections(), pods: [pod('p1', '2', false)], links: [] });
    assert.equal(tracker.summary('a')?.status.phase, 'Degraded', 'an announced change is seen before its batch goes out');
    assert.deepEqual(tracker.summary('a')?.links, []);
    assert.equal(observed, 2);
  });

  it('falls back on the rows last sent, at their latest versions and as copies, while the source shows nothing', (t) => {
    const { inventory, tracker, sources, batches } = setup(t, 60_000);
    inventory.create(kubeRecord({ id: 'a', name: 'a' }));
    tracker.start();
    const a = sources.get('a');
    assert.ok(a !== undefined);
    a.set({ phase: 'Ready', ...emptySections(), pods: [pod('p1', '1'), pod('p2', '1')] });
    tracker.flush();
    const sent = batches[0]?.deltas[0]?.upserted?.pods ?? [];
    a.set({ phase: 'Ready', ...emptySections(), pods: [pod('p1', '1'), pod('p2', '2')] });
    tracker.flush();
    assert.deepEqual(batches[1]?.deltas[0]?.upserted, { pods: [pod('p2', '2')] });
    // The rows kept are what a view falls back on while the source has nothing to show.
    a.observation = undefined;
    const kept = tracker.view('a')?.pods ?? [];
    assert.deepEqual(kept, [pod('p1', '1'), pod('p2', '2')]);
    assert.notEqual(kept[0], sent[0], 'a view hands out copies of what the tracker holds');
  });
});
