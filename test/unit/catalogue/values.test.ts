import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyOverride } from '../../../main/catalogue/overrides';
import { resolveValues } from '../../../main/catalogue/values';
import { formatError } from '../../../main/errors';
import { builtin } from './fixtures';

const dask = builtin('dask');
const check = (values: Record<string, unknown>, template = dask): string[] => {
  const result = resolveValues(template.name, template.parameters, values, { file: 'v.yaml', lineOf: () => 3 });
  return result.ok ? [] : result.errors.map(formatError);
};

describe('values are checked against the parameters before anything renders', () => {
  it('fills every parameter: given values, else defaults', () => {
    const result = resolveValues(dask.name, dask.parameters, { workers: 7 });
    assert.deepEqual(result, { ok: true, values: { workers: 7, workerCpu: '1', workerMemory: '2Gi' } });
  });

  it('unknown parameter', () => {
    assert.deepEqual(check({ wrkers: 3 }), ['v.yaml:3: wrkers: unknown parameter "wrkers" (dask has workers, workerCpu, workerMemory)']);
  });

  it('wrong type', () => {
    assert.deepEqual(check({ workers: 'ten' }), ['v.yaml:3: workers: expected integer, got "ten"']);
    assert.deepEqual(check({ workers: 2.5 }), ['v.yaml:3: workers: expected integer, got 2.5']);
  });

  it('out of range', () => {
    assert.deepEqual(check({ workers: 65 }), ['v.yaml:3: workers: 65 is above the maximum 64']);
    assert.deepEqual(check({ workers: -1 }), ['v.yaml:3: workers: -1 is below the minimum 0']);
    assert.deepEqual(check({ workerMemory: '128Gi' }), ['v.yaml:3: workerMemory: "128Gi" is above the maximum 64Gi']);
    assert.deepEqual(check({ workerCpu: '100m' }), ['v.yaml:3: workerCpu: "100m" is below the minimum 250m']);
  });

  it('malformed quantity: 4 GB', () => {
    assert.deepEqual(check({ workerMemory: '4 GB' }), [
      'v.yaml:3: workerMemory: expected a memory quantity such as 4Gi, 512Mi or 4G, got "4 GB"',
    ]);
    assert.deepEqual(check({ workerMemory: '4GB' }), [
      'v.yaml:3: workerMemory: expected a memory quantity such as 4Gi, 512Mi or 4G, got "4GB"',
    ]);
    assert.deepEqual(check({ workerMemory: '512m' }), [
      'v.yaml:3: workerMemory: expected a memory quantity such as 4Gi, 512Mi or 4G, got "512m" ("m" means thousandths; for mebibytes write Mi)',
    ]);
  });

  it('accepts Kubernetes quantities in every spelling, and cpu as a number', () => {
    assert.deepEqual(check({ workerMemory: '4096Mi', workerCpu: 2 }), []);
    assert.deepEqual(check({ workerMemory: '4G', workerCpu: '1.5' }), []);
    const result = resolveValues(dask.name, dask.parameters, { workerCpu: 2 });
    assert.equal(result.ok && result.values.workerCpu, '2');
  });

  it('reports every bad value at once', () => {
    assert.equal(check({ workers: 'ten', workerMemory: '4 GB', nope: 1 }).length, 3);
  });

  it('a site lock wins, and says why', () => {
    const locked = applyOverride(dask, { locked: { workers: { value: 4, reason: 'shared cluster' } } });
    assert.deepEqual(check({ workers: 5 }, locked), ['v.yaml:3: workers: cannot be changed: the site locks it to 4 (shared cluster)']);
    assert.deepEqual(check({ workers: 4 }, locked), []);
    const result = resolveValues(locked.name, locked.parameters, {});
    assert.equal(result.ok && result.values.workers, 4);
    const result2 = resolveValues(locked.name, locked.parameters, {});
    assert.equal(result2.ok && result2.values.workers, 4);
  });

  it('a site range narrows, a site default replaces', () => {
    const site = applyOverride(dask, { ranges: { workers: { max: 8 } }, defaults: { workerMemory: '4Gi' } });
    assert.deepEqual(check({ workers: 9 }, site), ['v.yaml:3: workers: 9 is above the maximum 8']);
    const result = resolveValues(site.name, site.parameters, {});
    assert.equal(result.ok && result.values.workerMemory, '4Gi');
  });

  it('site presets replace those of the same name and add new ones', () => {
    const site = applyOverride(dask, {
      presets: [
        { name: 'small', title: 'Site small', values: { workers: 1 } },
        { name: 'huge', values: { workers: 40 } },
      ],
    });
    assert.deepEqual(
      site.presets.map((p) => `${p.name}:${p.title ?? ''}`),
      ['small:Site small', 'medium:Medium', 'large:Large', 'huge:'],
    );
  });
});
