/**
 * A snapshot sums its pods' requests through shortcuts (plain numbers for
 * pods that request only cpu and memory); podRequest, the scheduler's rules
 * written out in full, is the reference they must match exactly, in amounts
 * and in the order resources are named.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { V1Container, V1Pod, V1PodSpec } from '@kubernetes/client-node';
import { podRequest } from '../../../main/capacity/pod-request';
import { snapshotFromObjects } from '../../../main/capacity/snapshot';
import { apiNode, apiPod, container } from './builders';

const MI = 1024 ** 2;
const NODES = ['a', 'b', 'c'];
const QUANTITIES = ['0', '100m', '250m', '1', '1.5', '64Mi', '1Gi', '1.5Gi', '2', '10'];

/** Maps of mostly cpu and memory (in either order), sometimes another resource. */
const quantityMap = fc
  .uniqueArray(
    fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom('cpu', 'memory') },
      { weight: 1, arbitrary: fc.constantFrom('ephemeral-storage', 'nvidia.com/gpu', 'hugepages-2Mi') },
    ),
    { maxLength: 3 },
  )
  .chain((names) =>
    fc
      .tuple(...names.map(() => fc.constantFrom(...QUANTITIES)))
      .map((amounts) => Object.fromEntries(names.map((name, at) => [name, amounts[at] as string]))),
  );

function randomContainer(init: boolean): fc.Arbitrary<V1Container> {
  return fc
    .record({
      requests: fc.option(quantityMap, { nil: undefined }),
      limits: fc.option(quantityMap, { nil: undefined }),
      sidecar: init ? fc.boolean() : fc.constant(false),
    })
    .map(({ requests, limits, sidecar }) => {
      const made = container('c', requests, limits);
      if (sidecar) made.restartPolicy = 'Always';
      return made;
    });
}

const randomSpec: fc.Arbitrary<V1PodSpec> = fc
  .record({
    containers: fc.array(randomContainer(false), { minLength: 1, maxLength: 3 }),
    initContainers: fc.array(randomContainer(true), { maxLength: 3 }),
    overhead: fc.option(quantityMap, { nil: undefined, freq: 6 }),
    podLevel: fc.option(quantityMap, { nil: undefined, freq: 6 }),
  })
  .map(({ containers, initContainers, overhead, podLevel }) => {
    const spec: V1PodSpec = { containers };
    if (initContainers.length > 0) spec.initContainers = initContainers;
    if (overhead) spec.overhead = overhead;
    if (podLevel) spec.resources = { requests: podLevel };
    return spec;
  });

const randomPods = fc.array(fc.record({ node: fc.constantFrom(...NODES), spec: randomSpec }), { maxLength: 15 });

/** Each node's pods summed with podRequest, one after another: `pods` first, then resources as first named. */
function expectedTotals(
  pods: readonly { node: string; spec: V1PodSpec }[],
  node: string,
): { requested: [string, number][]; nonZero: { cpu: number; memory: number } } {
  const requested: Record<string, number> = { pods: 0 };
  const nonZero = { cpu: 0, memory: 0 };
  for (const pod of pods) {
    if (pod.node !== node) continue;
    const request = podRequest(pod.spec);
    for (const [name, amount] of Object.entries(request.resources)) requested[name] = (requested[name] ?? 0) + amount;
    requested.pods = (requested.pods ?? 0) + 1;
    nonZero.cpu += request.nonZeroCpu;
    nonZero.memory += request.nonZeroMemory;
  }
  return { requested: Object.entries(requested), nonZero };
}

describe('snapshot request sums', () => {
  const nodes = NODES.map((name) => apiNode(name, { cpu: '64', memory: '256Gi', pods: '110' }));

  it('equal podRequest summed pod by pod, amounts and resource order alike, whatever the containers', () => {
    fc.assert(
      fc.property(randomPods, (pods) => {
        const snapshot = snapshotFromObjects(
          nodes,
          pods.map((pod, at): V1Pod => apiPod(`p${at}`, pod.node, pod.spec)),
        );
        for (const name of NODES) {
          const node = snapshot.byName.get(name);
          const expected = expectedTotals(pods, name);
          assert.deepEqual(Object.entries(node?.requested ?? {}), expected.requested, name);
          assert.deepEqual(node?.nonZeroRequested, expected.nonZero, name);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('names memory first when an init-container pod requests memory before cpu, as podRequest does', () => {
    const spec: V1PodSpec = {
      containers: [container('app', { memory: '1Gi', cpu: '500m' })],
      initContainers: [container('init', { cpu: '2', memory: '64Mi' })],
    };
    const snapshot = snapshotFromObjects(nodes, [apiPod('p', 'a', spec)]);
    assert.deepEqual(Object.entries(snapshot.byName.get('a')?.requested ?? {}), [
      ['pods', 1],
      ['memory', 1024 * MI],
      ['cpu', 2000],
    ]);
  });

  it('counts sidecars beside the app and under every later init container', () => {
    const spec: V1PodSpec = {
      containers: [container('app', { cpu: '1', memory: '100Mi' })],
      initContainers: [
        container('proxy', { cpu: '500m', memory: '64Mi' }, undefined, { restartPolicy: 'Always' }),
        container('migrate', { cpu: '2' }),
      ],
    };
    const snapshot = snapshotFromObjects(nodes, [apiPod('p', 'b', spec)]);
    // cpu: max(app 1 + sidecar 0.5, migrate 2 + sidecar 0.5); memory: app + sidecar.
    assert.deepEqual(snapshot.byName.get('b')?.requested, { pods: 1, cpu: 2500, memory: 164 * MI });
    // For scoring, migrate's unset memory stands in at 200Mi, beside the sidecar's 64Mi.
    assert.deepEqual(snapshot.byName.get('b')?.nonZeroRequested, { cpu: 2500, memory: 264 * MI });
  });

  it('fails on a bad quantity with the reference message, whichever path reads it', () => {
    const bad: V1PodSpec = { containers: [container('app', { cpu: '1' })], initContainers: [container('init', { memory: '4 GB' })] };
    assert.throws(() => podRequest(bad), /"4 GB" is not a Kubernetes quantity/);
    assert.throws(() => snapshotFromObjects(nodes, [apiPod('p', 'a', bad)]), /"4 GB" is not a Kubernetes quantity/);
  });
});
