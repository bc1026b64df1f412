import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { predictFit } from '../../../main/capacity/fit';
import { judgePresets, largestThatFits, memoryKnob, type Values } from '../../../main/capacity/sizing';
import { analysisFacility, naples } from './builders';

const GI = 1024 ** 3;

const presets = [
  { name: 'small', values: { workers: 2, workerCpu: '1', workerMemory: '2Gi' } },
  { name: 'medium', values: { workers: 4, workerCpu: '2', workerMemory: '4Gi' } },
  { name: 'large', values: { workers: 8, workerCpu: '4', workerMemory: '12Gi' } },
  { name: 'huge', values: { workers: 12, workerCpu: '4', workerMemory: '14Gi' } },
];

const podsFor = (values: Values) =>
  analysisFacility({ workers: Number(values.workers), workerCpu: String(values.workerCpu), workerMemory: String(values.workerMemory) });

describe('the Naples shape (1×32 CPU/64Gi control plane + 5×8 CPU/16Gi workers) with an analysis facility', () => {
  it('marks the presets that fit and the one that does not', async () => {
    const verdicts = await judgePresets(naples(), presets, podsFor);
    assert.deepEqual(
      verdicts.map((verdict) => [verdict.preset, verdict.fits]),
      [
        ['small', true],
        ['medium', true],
        ['large', true],
        ['huge', false],
      ],
    );
    const huge = verdicts[3];
    assert.ok(huge && huge.pending > 0 && huge.pending < huge.pods);
    const pending = huge.report.perPod.filter((pod) => !pod.fits);
    assert.ok(
      pending.every((pod) => pod.component === 'dask-worker'),
      'only Dask workers are left over',
    );
    assert.ok(pending.every((pod) => /^0\/6 nodes are available: .*Insufficient memory/.test(pod.message ?? '')));
  });

  it('spreads Dask workers over the nodes, as the default scheduler does', () => {
    const report = predictFit(naples(), analysisFacility({ workers: 5, workerCpu: '2', workerMemory: '4Gi' }));
    const workerNodes = new Set(report.perPod.filter((pod) => pod.component === 'dask-worker').map((pod) => pod.node));
    assert.ok(workerNodes.size >= 4, `workers on ${[...workerNodes].join(', ')}`);
  });

  it('finds the largest worker count that fits now, and the next one does not', async () => {
    const base = { workerCpu: '4', workerMemory: '12Gi' };
    const result = await largestThatFits(naples(), base, { name: 'workers', min: 1, max: 64 }, podsFor);
    assert.ok(result.largest !== null && result.largest >= 8);
    assert.equal(predictFit(naples(), podsFor({ ...base, workers: result.largest })).allFit, true);
    assert.equal(predictFit(naples(), podsFor({ ...base, workers: result.largest + 1 })).allFit, false);
    assert.ok(result.evaluations <= 10, `binary search, not a scan (${result.evaluations} tries)`);
    const headroom = result.report?.totals.freeAfter;
    assert.ok(headroom && (headroom.memory ?? 0) < 12 * GI * 2, 'little memory is left after the largest deploy');
  });

  it('finds the largest worker memory for five workers: a whole 16Gi worker node each', async () => {
    const result = await largestThatFits(naples(), { workers: 5, workerCpu: '2' }, memoryKnob('workerMemory', '1Gi', '64Gi'), podsFor);
    assert.equal(result.value, '16Gi');
    assert.equal(result.largest, 16 * GI);
  });

  it('says when even the smallest value does not fit', async () => {
    const result = await largestThatFits(naples(), { workerCpu: '40', workerMemory: '1Gi' }, { name: 'workers', min: 1, max: 10 }, podsFor);
    assert.deepEqual([result.largest, result.value, result.report], [null, null, null]);
  });

  it('reports the headroom per node after deploying', () => {
    const report = predictFit(naples(), analysisFacility({ workers: 2, workerCpu: '1', workerMemory: '2Gi' }));
    assert.equal(report.nodes.length, 6);
    const planned = report.nodes.reduce((sum, node) => sum + (node.planned.pods ?? 0), 0);
    assert.equal(planned, report.totals.pods);
    for (const node of report.nodes) {
      assert.equal(node.freeAfter.cpu, (node.allocatable.cpu ?? 0) - (node.requestedBefore.cpu ?? 0) - (node.planned.cpu ?? 0));
      assert.equal(node.plannedPods.length, node.planned.pods);
    }
    assert.equal(report.totals.freeAfter.cpu, 72_000 - (report.totals.planRequest.cpu ?? 0));
  });
});
