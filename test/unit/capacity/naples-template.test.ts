import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCatalogue } from '../../../main/catalogue/catalogue';
import { podsFromPlan } from '../../../main/capacity/plan-pods';
import { toUnits } from '../../../main/kube/quantity';
import { bytesAsQuantity, judgePresets, knobForParameter, largestThatFits, type Values } from '../../../main/capacity/sizing';
import { renderPlan } from '../../../main/render/plan';
import { naples } from './builders';

describe('the built-in analysis-facility template on the Naples shape', async () => {
  const template = (await loadCatalogue()).require('analysis-facility');
  const podsFor = (values: Values) => podsFromPlan(renderPlan({ template, values, environment: { name: 'af' } }).pods);

  it('marks its presets: small and medium fit, large (84 CPU on a 72 CPU cluster) does not', async () => {
    const verdicts = await judgePresets(naples(), template.presets, podsFor);
    assert.deepEqual(
      verdicts.map((verdict) => [verdict.preset, verdict.fits]),
      [
        ['small', true],
        ['medium', true],
        ['large', false],
      ],
    );
    const large = verdicts[2];
    assert.ok(large && large.pending > 0);
    for (const pod of large.report.perPod.filter((p) => !p.fits))
      assert.match(pod.message ?? '', /^0\/6 nodes are available: .*Insufficient (cpu|memory)/);
    assert.ok(
      large.report.perPod.some((pod) => pod.spawned === true),
      'user servers started at login are sized too',
    );
  });

  it('finds the most workers the medium preset can have, within the parameter’s range', async () => {
    const medium = template.presets.find((preset) => preset.name === 'medium');
    const workers = template.parameters.workers;
    assert.ok(medium && workers);
    const knob = knobForParameter('workers', workers);
    assert.ok(knob);
    const result = await largestThatFits(naples(), medium.values, knob, podsFor);
    assert.ok(result.largest !== null && result.largest > 6 && result.largest < 64, `largest ${result.largest}`);
    assert.equal(podsFor({ ...medium.values, workers: result.largest }).length > 0, true);
    assert.equal(
      (await judgePresets(naples(), [{ name: 'more', values: { ...medium.values, workers: result.largest + 1 } }], podsFor))[0]?.fits,
      false,
    );
  });

  it('finds the largest worker memory for the small preset, as a value people type, and the next one does not fit', async () => {
    const small = template.presets.find((preset) => preset.name === 'small');
    const workerMemory = template.parameters.workerMemory;
    assert.ok(small && workerMemory);
    const knob = knobForParameter('workerMemory', workerMemory);
    assert.ok(knob);
    const result = await largestThatFits(naples(), small.values, knob, podsFor);
    // Above 4Gi the values tried are whole Gi: 8Gi, never 8320Mi.
    assert.match(String(result.value), /^\d+Gi$/);
    // Two workers larger than a 16Gi worker node: both on the 64Gi node, beside the rest.
    assert.ok(toUnits(String(result.value)) > 16 * 1024 ** 3, String(result.value));
    const next = knob.ladder?.find((amount) => amount > toUnits(String(result.value)));
    assert.ok(next !== undefined);
    const oneStepMore = bytesAsQuantity(next);
    assert.equal(
      (await judgePresets(naples(), [{ name: 'more', values: { ...small.values, workerMemory: oneStepMore } }], podsFor))[0]?.fits,
      false,
    );
  });
});
