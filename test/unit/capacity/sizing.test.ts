import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { predictFit } from '../../../main/capacity/fit';
import { podsFromPlan } from '../../../main/capacity/plan-pods';
import { bytesAsQuantity, judgePresets, largestThatFits, memoryKnob, withValue, type Values } from '../../../main/capacity/sizing';
import { snapshotFromProfile } from '../../../main/capacity/snapshot-profile';
import { podSpec } from './builders';

const cluster = snapshotFromProfile({ nodes: [{ name: 'w', count: 3, cpu: '4', memory: '8Gi' }] });

/** A Dask-like template: `dask.workers` replicas of `dask.workerMemory`, rendered asynchronously like a real renderer may. */
async function daskPods(values: Values) {
  const dask = (values.dask ?? {}) as { workers?: number; workerMemory?: string };
  await Promise.resolve();
  return podsFromPlan([
    { component: 'dask', name: 'scheduler', replicas: 1, spec: podSpec('500m', '1Gi') },
    { component: 'dask', name: 'worker', replicas: dask.workers ?? 1, spec: podSpec('1', dask.workerMemory ?? '1Gi') },
  ]);
}

describe('sizing help', () => {
  it('expands a plan’s replicas into named pods that spread as one group', () => {
    const pods = podsFromPlan([
      { component: 'dask', name: 'worker', replicas: 3, spec: podSpec('1', '1Gi') },
      { component: 'hub', name: 'hub', replicas: 1, spec: podSpec('1', '1Gi') },
      { component: 'idle', name: 'idle', replicas: 0, spec: podSpec('1', '1Gi') },
    ]);
    assert.deepEqual(
      pods.map((pod) => [pod.name, pod.spreadGroup]),
      [
        ['worker-0', 'dask/worker'],
        ['worker-1', 'dask/worker'],
        ['worker-2', 'dask/worker'],
        ['hub', 'hub/hub'],
      ],
    );
  });

  it('sets dotted knobs without touching the caller’s values', () => {
    const values = { dask: { workers: 2, image: 'x' }, title: 't' };
    const changed = withValue(values, 'dask.workers', 5);
    assert.deepEqual(changed, { dask: { workers: 5, image: 'x' }, title: 't' });
    assert.deepEqual(values.dask, { workers: 2, image: 'x' });
    assert.deepEqual(withValue({}, 'a.b.c', 1), { a: { b: { c: 1 } } });
  });

  it('marks presets over the base values', async () => {
    const verdicts = await judgePresets(
      cluster,
      [
        { name: 'small', values: { dask: { workers: 2, workerMemory: '2Gi' } } },
        { name: 'large', values: { dask: { workers: 12, workerMemory: '4Gi' } } },
      ],
      daskPods,
    );
    assert.deepEqual(
      verdicts.map((v) => [v.preset, v.fits, v.pending]),
      [
        ['small', true, 0],
        ['large', false, 7],
      ],
    );
  });

  it('finds the largest worker count and worker memory that fit, and the headroom they leave', async () => {
    const count = await largestThatFits(cluster, { dask: { workerMemory: '2Gi' } }, { name: 'dask.workers', min: 1, max: 50 }, daskPods);
    // 12 CPU: the scheduler takes 500m, so 11 one-CPU workers fit; memory (24Gi − 1Gi) would allow 11 too.
    assert.equal(count.largest, 11);
    assert.equal(count.report?.totals.freeAfter.cpu, 500);
    const memory = await largestThatFits(
      cluster,
      { dask: { workers: 3 } },
      memoryKnob('dask.workerMemory', '512Mi', '32Gi', '512Mi'),
      daskPods,
    );
    // Three workers, one per 8Gi node, one of them next to the 1Gi scheduler.
    assert.equal(memory.value, '7Gi');
  });

  it('reports, for the largest value, the very report predictFit gives for it, per-node headroom included', async () => {
    // The search builds headroom only for the value it keeps; it must be that value's, not the last one tried.
    const base = { dask: { workerMemory: '2Gi' } };
    const count = await largestThatFits(cluster, base, { name: 'dask.workers', min: 1, max: 50 }, daskPods);
    const direct = predictFit(cluster, await daskPods(withValue(base, 'dask.workers', count.largest)));
    assert.deepEqual(count.report, direct);
    assert.equal(count.report?.nodes.length, 3);
    assert.equal(
      count.report?.nodes.reduce((sum, node) => sum + node.plannedPods.length, 0),
      12,
    );
  });

  it('writes bytes back as the shortest exact quantity', () => {
    assert.equal(bytesAsQuantity(12 * 1024 ** 3), '12Gi');
    assert.equal(bytesAsQuantity(11.75 * 1024 ** 3), '11.75Gi');
    assert.equal(bytesAsQuantity(1536 * 1024 ** 2 + 1024 ** 2), '1537Mi');
    assert.equal(bytesAsQuantity(1000), '1000');
  });
});
