import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { podRequest } from '../../../main/capacity/pod-request';
import { toMilli, toUnits } from '../../../main/kube/quantity';
import { container } from './builders';

const GI = 1024 ** 3;
const MI = 1024 ** 2;

describe('quantities, as the scheduler counts them', () => {
  it('reads cpu in millicores and rounds up like MilliValue', () => {
    assert.equal(toMilli('100m'), 100);
    assert.equal(toMilli('0.1'), 100);
    assert.equal(toMilli('1.5'), 1500);
    assert.equal(toMilli(2), 2000);
    assert.equal(toMilli('500u'), 1);
  });

  it('reads bytes, including decimal binary quantities the client helper alone refuses', () => {
    assert.equal(toUnits('16Gi'), 16 * GI);
    assert.equal(toUnits('1.5Gi'), 1.5 * GI);
    assert.equal(toUnits('129e6'), 129_000_000);
    assert.equal(toUnits('123Mi'), 123 * MI);
    assert.equal(toUnits('1k'), 1000);
    assert.equal(toUnits('0.1Gi'), Math.ceil(0.1 * GI));
  });

  it('refuses what is not a quantity, with an example of what is', () => {
    for (const bad of ['abc', '4 GB', 'Gi', '-1', '1.5x', '']) {
      assert.throws(() => toUnits(bad), /not a Kubernetes quantity \(examples: 2, 500m, 16Gi/, bad);
    }
  });
});

describe('a pod’s effective request (kube-scheduler rules)', () => {
  it('adds up the app containers', () => {
    const request = podRequest({
      containers: [container('a', { cpu: '500m', memory: '1Gi' }), container('b', { cpu: '1', memory: '512Mi' })],
    });
    assert.deepEqual(request.resources, { cpu: 1500, memory: GI + 512 * MI });
  });

  it('takes limits as requests where only limits are given', () => {
    const request = podRequest({
      containers: [container('a', undefined, { cpu: '2', memory: '4Gi' }), container('b', { cpu: '250m' }, { memory: '1Gi' })],
    });
    assert.deepEqual(request.resources, { cpu: 2250, memory: 5 * GI });
  });

  it('keeps an explicit request below its limit', () => {
    const request = podRequest({ containers: [container('a', { cpu: '1', memory: '1Gi' }, { cpu: '4', memory: '8Gi' })] });
    assert.deepEqual(request.resources, { cpu: 1000, memory: GI });
  });

  it('uses the largest init container when it exceeds the app containers', () => {
    const request = podRequest({
      initContainers: [container('migrate', { cpu: '4', memory: '1Gi' }), container('warm', { cpu: '1', memory: '6Gi' })],
      containers: [container('app', { cpu: '2', memory: '2Gi' })],
    });
    assert.deepEqual(request.resources, { cpu: 4000, memory: 6 * GI });
  });

  it('counts sidecars (restartPolicy Always) with the app, and under every init container started after them', () => {
    const request = podRequest({
      initContainers: [
        container('before', { cpu: '3', memory: '1Gi' }),
        container('proxy', { cpu: '1', memory: '1Gi' }, undefined, { restartPolicy: 'Always' }),
        container('after', { cpu: '3', memory: '1Gi' }),
      ],
      containers: [container('app', { cpu: '2', memory: '2Gi' })],
    });
    // app + sidecar = 3 CPU / 3Gi; "after" + sidecar = 4 CPU / 2Gi; "before" alone = 3 CPU.
    assert.deepEqual(request.resources, { cpu: 4000, memory: 3 * GI });
  });

  it('adds the pod overhead of its runtime class', () => {
    const request = podRequest({ containers: [container('a', { cpu: '1', memory: '1Gi' })], overhead: { cpu: '250m', memory: '120Mi' } });
    assert.deepEqual(request.resources, { cpu: 1250, memory: GI + 120 * MI });
  });

  it('lets pod-level requests replace the containers’ sum, and pod-level limits stand in for missing requests', () => {
    const withRequests = podRequest({ containers: [container('a', { cpu: '1', memory: '1Gi' })], resources: { requests: { cpu: '3' } } });
    assert.deepEqual(withRequests.resources, { cpu: 3000, memory: GI });
    const limitsOnly = podRequest({ containers: [container('a')], resources: { limits: { cpu: '2', memory: '2Gi' } } });
    assert.deepEqual(limitsOnly.resources, { cpu: 2000, memory: 2 * GI });
  });

  it('counts extended resources such as GPUs', () => {
    const request = podRequest({ containers: [container('a', { cpu: '1' }, { 'nvidia.com/gpu': '2' })] });
    assert.deepEqual(request.resources, { cpu: 1000, 'nvidia.com/gpu': 2 });
  });

  it('computes the same request on its fast path (app containers only) as on the general one', () => {
    const quantities = (names: string[]) =>
      fc.dictionary(fc.constantFrom(...names), fc.constantFrom('0', '100m', '1', '1.5', '256Mi', '2Gi', '3'), { maxKeys: names.length });
    const containerArb = fc.record({
      requests: quantities(['cpu', 'memory', 'nvidia.com/gpu']),
      limits: quantities(['cpu', 'memory', 'ephemeral-storage']),
    });
    fc.assert(
      fc.property(fc.array(containerArb, { minLength: 1, maxLength: 4 }), (containers) => {
        const spec = { containers: containers.map((resources, i) => ({ name: `c${i}`, resources })) };
        // An empty overhead takes the general path and adds nothing.
        assert.deepEqual(podRequest(spec), podRequest({ ...spec, overhead: {} }));
      }),
      { numRuns: 300 },
    );
  });

  it('gives a pod with no requests no resources, and the scheduler’s 100m / 200Mi stand-ins for scoring only', () => {
    const request = podRequest({ containers: [container('a'), container('b')] });
    assert.deepEqual(request.resources, {});
    assert.equal(request.nonZeroCpu, 200);
    assert.equal(request.nonZeroMemory, 400 * MI);
  });
});
