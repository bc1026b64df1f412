/**
 * Fits on one snapshot share what they can (fit.ts: placement verdicts per
 * shape, the cluster's totals, the fit of a frozen pod list; replacing.ts: the
 * snapshot with an environment's pods handed back). The Configure page fits
 * some ten plans per keystroke on one snapshot, so these were worth sharing;
 * they must never change an answer. Each shared fit here is compared with the
 * same fit worked out alone, on a copy of the snapshot nothing was shared with,
 * on a cluster big enough for the scheduler's sampling (≥ 100 nodes) with
 * cordons, taints, zones, selectors and nodes already busy.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Node, V1Pod, V1PodSpec } from '@kubernetes/client-node';
import { loadCatalogue } from '../../../main/catalogue/catalogue';
import { predictFit, type PodToPlace } from '../../../main/capacity/fit';
import { podsFromPlan } from '../../../main/capacity/plan-pods';
import { replacingEnvironment } from '../../../main/capacity/replacing';
import { judgePresets, knobForParameter, largestThatFits, withValue, type Values } from '../../../main/capacity/sizing';
import { snapshotFromObjects, type ClusterSnapshot } from '../../../main/capacity/snapshot';
import { renderPlan } from '../../../main/render/plan';
import { MANAGED_BY } from '../../../main/render/identity';
import { seededRandom } from '../../support/seeded-random';
import { pod, podSpec, replicas } from './builders';

const NODES = 240;
const NAMESPACE = 'af-mine';

/** 240 nodes of three sizes in three zones; some cordoned, some tainted, some labelled; each already running pods. */
function busyCluster(): ClusterSnapshot {
  const next = seededRandom(23);
  const nodes: V1Node[] = [];
  const pods: V1Pod[] = [];
  for (let index = 0; index < NODES; index += 1) {
    const name = `node-${String(index).padStart(3, '0')}`;
    const size = [
      { cpu: '4', memory: '8Gi' },
      { cpu: '8', memory: '16Gi' },
      { cpu: '16', memory: '64Gi' },
    ][index % 3] as { cpu: string; memory: string };
    const taints = [];
    if (index % 11 === 0) taints.push({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' });
    if (index % 13 === 0) taints.push({ key: 'spot', effect: 'PreferNoSchedule' });
    nodes.push({
      metadata: {
        name,
        labels: {
          'kubernetes.io/hostname': name,
          'topology.kubernetes.io/zone': `zone-${index % 3}`,
          ...(index % 7 === 0 ? { disk: 'ssd' } : {}),
        },
      },
      spec: { unschedulable: index % 17 === 0, taints },
      status: { allocatable: { ...size, pods: '30' }, capacity: { ...size, pods: '30' }, conditions: [{ type: 'Ready', status: 'True' }] },
    });
    // Busy nodes: between none and most of the node already requested.
    const busy = Math.floor(next() * 6);
    for (let count = 0; count < busy; count += 1)
      pods.push({
        metadata: { name: `${name}-pod-${count}`, namespace: 'default' },
        spec: { ...podSpec(`${100 + Math.floor(next() * 600)}m`, `${256 + Math.floor(next() * 1500)}Mi`), nodeName: name },
        status: { phase: 'Running' },
      });
    // The environment being resized already runs on a few nodes: an update hands its pods back.
    if (index % 29 === 0)
      pods.push({
        metadata: { name: `mine-${index}`, namespace: NAMESPACE, labels: { 'app.kubernetes.io/managed-by': MANAGED_BY } },
        spec: { ...podSpec('2', '4Gi'), nodeName: name },
        status: { phase: 'Running' },
      });
  }
  return snapshotFromObjects(nodes, pods);
}

const template = (await loadCatalogue()).require('analysis-facility');
const medium = template.presets.find((preset) => preset.name === 'medium')?.values ?? {};
const render = (values: Values): PodToPlace[] =>
  podsFromPlan(renderPlan({ template, values: { ...medium, ...values }, environment: { name: 'af' } }).pods);

const pinned: V1PodSpec = {
  ...podSpec('1', '1Gi'),
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-001', 'node-002'] }] }],
      },
    },
  },
};

/** Plans that share placement shapes, some that do not fit (closest nodes, hints), one the same as another. */
const plans: PodToPlace[][] = [
  render({}),
  render({ workers: 40, workerCpu: '6', workerMemory: '12Gi' }),
  [
    ...replicas('gpu', 12, '3', '6Gi', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }),
    ...replicas('ssd', 30, '2', '4Gi', { nodeSelector: { disk: 'ssd' } }),
    pod('huge', '20', '8Gi'),
    { component: 'pinned', name: 'pinned', spec: pinned },
    { component: 'empty', name: 'empty', spec: { containers: [{ name: 'main', image: 'busybox' }] } },
  ],
  render({ users: 30, userCpu: '4', userMemory: '16Gi', workers: 64, workerCpu: '16', workerMemory: '64Gi' }),
  render({}),
];

/** The same fit with nothing shared: a copy of the snapshot, a list that is not frozen. */
const alone = (snapshot: ClusterSnapshot, pods: readonly PodToPlace[]) => predictFit(structuredClone(snapshot), [...pods]);

describe('fits on one snapshot share work, never answers (240 nodes, sampled as the scheduler does)', () => {
  it('each plan, fitted after others on the same snapshot, is placed exactly as when fitted alone', () => {
    const snapshot = busyCluster();
    assert.ok(snapshot.nodes.length >= 100, 'big enough for the scheduler to sample');
    let pending = 0;
    for (const pods of plans) {
      const frozen = Object.freeze([...pods]);
      const shared = predictFit(snapshot, frozen);
      assert.deepEqual(shared, alone(snapshot, pods));
      // Asked again (a keystroke on an unchanged cluster): the same answer.
      assert.deepEqual(predictFit(snapshot, frozen), shared);
      pending += shared.totals.pending;
    }
    assert.ok(pending > 0, 'some plans leave pods Pending, so hints and closest nodes are compared too');
  });

  it('an update: the environment’s pods handed back once per snapshot, the fit the same as on a fresh copy', () => {
    const snapshot = busyCluster();
    const replacing = replacingEnvironment(snapshot, NAMESPACE);
    assert.ok(replacing.pods > 0);
    assert.equal(replacingEnvironment(snapshot, NAMESPACE), replacing, 'the same snapshot object, so its fits share work');
    const fresh = replacingEnvironment(structuredClone(snapshot), NAMESPACE);
    assert.deepEqual(fresh, replacing);
    for (const pods of plans) assert.deepEqual(predictFit(replacing.snapshot, Object.freeze([...pods])), alone(fresh.snapshot, pods));
  });

  it('presets: verdicts and reports as each preset fitted alone', async () => {
    const snapshot = busyCluster();
    const presets = template.presets.map((preset) => ({ name: preset.name, values: { ...medium, ...preset.values } }));
    const verdicts = await judgePresets(snapshot, presets, render);
    assert.equal(verdicts.length, presets.length);
    for (const [index, verdict] of verdicts.entries()) {
      const expected = alone(snapshot, render(presets[index]?.values ?? {}));
      assert.deepEqual([verdict.fits, verdict.pending, verdict.pods], [expected.allFit, expected.totals.pending, expected.totals.pods]);
      assert.deepEqual(verdict.report, expected);
    }
  });

  it('the largest worker count and CPU per worker: the binary search agrees with trying every value alone', async () => {
    const snapshot = busyCluster();
    // Big workers, so that the search ends inside the range rather than at its top.
    const base: Values = { ...medium, workers: 30, workerCpu: '15', workerMemory: '40Gi' };
    for (const name of ['workers', 'workerCpu']) {
      const knob = knobForParameter(name, template.parameters[name] ?? { type: 'integer' });
      assert.ok(knob);
      const amounts = knob.ladder ?? Array.from({ length: knob.max - knob.min + 1 }, (_, index) => knob.min + index);
      const toValue = knob.toValue ?? ((amount: number): unknown => amount);
      let largest: number | null = null;
      for (const amount of amounts) {
        if (!alone(snapshot, render(withValue(base, name, toValue(amount)))).allFit) break;
        largest = amount;
      }
      const result = await largestThatFits(snapshot, base, knob, render);
      assert.equal(result.largest, largest, name);
      assert.ok(largest !== null && largest < (amounts.at(-1) as number), `${name}: the search ends inside the range (${largest})`);
      assert.deepEqual(result.report, alone(snapshot, render(withValue(base, name, toValue(largest)))));
    }
  });
});
