/**
 * What the fit suggests, and the room it keeps for what every node runs:
 * suggestions name what runs out, never repeat the chosen value, and are
 * amounts people type; declared headroom and measured DaemonSet pods count.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCatalogue } from '../../../main/catalogue/catalogue';
import { predictFit } from '../../../main/capacity/fit';
import { fitSummary, overflowByNode } from '../../../main/capacity/fit-summary';
import { podsFromPlan } from '../../../main/capacity/plan-pods';
import { knobForParameter, type NumericKnob, type Values } from '../../../main/capacity/sizing';
import { snapshotFromObjects } from '../../../main/capacity/snapshot';
import { snapshotFromProfile } from '../../../main/capacity/snapshot-profile';
import { suggestKnobs } from '../../../main/capacity/suggestions';
import { cpuLadder, memoryLadder } from '../../../main/capacity/typeable';
import { toMilli, toUnits } from '../../../main/kube/quantity';
import { renderPlan } from '../../../main/render/plan';
import { apiNode, apiPod, naples, naplesCapacity, podSpec, replicas } from './builders';

const MI = 2 ** 20;
const GI = 2 ** 30;

describe('values the fit suggests are ones people type', () => {
  it('memory: 128Mi steps below 1Gi, 512Mi to 4Gi, whole Gi above (8Gi, never 8320Mi)', () => {
    const ladder = memoryLadder(128 * MI, 14 * GI);
    assert.ok(ladder.includes(8 * GI));
    assert.ok(!ladder.includes(8320 * MI));
    assert.ok(ladder.includes(1.5 * GI));
    for (const amount of ladder.filter((bytes) => bytes > 4 * GI)) assert.equal(amount % GI, 0, `${amount / MI}Mi`);
    assert.deepEqual([ladder[0], ladder.at(-1)], [128 * MI, 14 * GI]);
  });

  it('cpu: tenths below one CPU, whole or half CPUs above; a bound the site wrote is kept', () => {
    const ladder = cpuLadder(250, 7000);
    assert.equal(ladder[0], 250, 'the minimum, as the site set it');
    for (const milli of ladder.filter((amount) => amount >= 1000)) assert.equal(milli % 500, 0, `${milli}m`);
    assert.ok(ladder.includes(1500) && !ladder.includes(1600));
    assert.equal(ladder.at(-1), 7000);
  });
});

describe('suggestions for the built-in analysis facility on the Naples shape', async () => {
  const template = (await loadCatalogue()).require('analysis-facility');
  const render = (values: Values) => renderPlan({ template, values, environment: { name: 'af' } });
  const podsFor = (values: Values) => podsFromPlan(render(values).pods);
  const knobs = ['workers', 'workerCpu', 'workerMemory'].map((name) => {
    const parameter = template.parameters[name];
    assert.ok(parameter);
    return knobForParameter(name, parameter) as NumericKnob;
  });
  const suggest = (values: Values) => {
    const snapshot = naples();
    const report = predictFit(snapshot, podsFor(values));
    return { report, suggestions: suggestKnobs(snapshot, values, render(values).values, report.allFit, knobs, podsFor) };
  };

  it('names CPU when CPU is what runs out: memory alone cannot help, and says why', async () => {
    // 20 workers of 7 CPU need 140 CPU of 72; their 1Gi each is nothing.
    const values = { workers: 20, workerCpu: '7', workerMemory: '1Gi', users: 1 };
    const { report, suggestions } = suggest(values);
    assert.equal(report.allFit, false);
    assert.deepEqual(fitSummary(report).binding, ['cpu']);
    const byName = new Map((await suggestions).map((s) => [s.parameter, s]));
    assert.deepEqual(byName.get('workerMemory'), { parameter: 'workerMemory', value: null, limitedBy: ['cpu'], direction: 'lower' });
    const workers = byName.get('workers');
    assert.ok(workers && typeof workers.value === 'number' && workers.value < 20 && workers.direction === 'lower');
    assert.deepEqual(workers.limitedBy, ['cpu']);
    const cpu = byName.get('workerCpu');
    assert.ok(cpu && typeof cpu.value === 'string', JSON.stringify(cpu));
    assert.equal(toMilli(cpu.value) % 500, 0, `${cpu.value} is a whole or half CPU`);
  });

  it('never suggests the value already chosen, and rounds memory to whole Gi', async () => {
    const first = await suggest({ workers: 4, workerCpu: '2', workerMemory: '2Gi', users: 1 }).suggestions;
    const workers = first.find((s) => s.parameter === 'workers');
    assert.ok(workers && typeof workers.value === 'number' && workers.direction === 'raise');
    const memory = first.find((s) => s.parameter === 'workerMemory');
    assert.ok(memory && typeof memory.value === 'string');
    assert.match(memory.value, /^\d+Gi$/);
    assert.ok(toUnits(memory.value) > 2 * GI);
    // At the largest count that fits, the count is not suggested again.
    const again = await suggest({ workers: workers.value, workerCpu: '2', workerMemory: '2Gi', users: 1 }).suggestions;
    assert.equal(
      again.find((s) => s.parameter === 'workers'),
      undefined,
    );
  });
});

describe('room for what every node already runs', () => {
  // Two 4 CPU / 8Gi workers on each 8 CPU / 16Gi node fill it to 100% (and the 32 CPU node takes 8).
  const filling = replicas('dask-worker', 18, '4', '8Gi');

  it('without a declared headroom, nodes filled to 100% "fit"; with one, the pods that sat there stay Pending', () => {
    assert.equal(predictFit(naples(), filling).allFit, true);
    const withHeadroom = snapshotFromProfile({ ...naplesCapacity(), headroom: { cpu: '500m', memory: '1Gi', pods: 4 } });
    const report = predictFit(withHeadroom, filling);
    assert.equal(report.allFit, false);
    const node = report.nodes.find((entry) => entry.name === 'worker-1');
    assert.deepEqual(node?.everyNode, { pods: 4, cpu: 500, memory: GI });
    assert.equal(node?.requestedBefore.cpu, 500, 'the headroom is taken before any plan pod');
  });

  it('a node group may declare its own headroom instead of the section’s', () => {
    const capacity = naplesCapacity();
    const [master, workers] = capacity.nodes;
    assert.ok(master && workers);
    const snapshot = snapshotFromProfile({
      nodes: [{ ...master, headroom: { cpu: '2' } }, workers],
      headroom: { cpu: '250m' },
    });
    assert.equal(snapshot.byName.get('master')?.requested.cpu, 2000);
    assert.equal(snapshot.byName.get('worker-3')?.requested.cpu, 250);
  });

  it('on a live cluster, DaemonSet and static pods are measured per node; other pods are not among them', () => {
    const daemon = apiPod('canal-x', 'n1', podSpec('250m', '256Mi'));
    daemon.metadata = { ...daemon.metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'canal', uid: 'u1' }] };
    const mirror = apiPod('kube-proxy-n1', 'n1', podSpec('100m', '64Mi'));
    mirror.metadata = { ...mirror.metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'u2' }] };
    const app = apiPod('web', 'n1', podSpec('1', '1Gi'));
    app.metadata = { ...app.metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u3' }] };
    const snapshot = snapshotFromObjects([apiNode('n1', { cpu: '8', memory: '16Gi', pods: '110' })], [daemon, mirror, app]);
    const node = snapshot.byName.get('n1');
    assert.deepEqual(node?.everyNode, { pods: 2, cpu: 350, memory: 320 * MI });
    assert.equal(node?.requested.cpu, 1350, 'all three hold room on the node');
  });
});

describe('pods that would stay Pending are drawn on the node they came closest to', () => {
  it('each pending pod overflows the node with the least shortfall, with what that node lacks', () => {
    // 10 workers of 2 CPU / 15Gi: the 64Gi node takes 4, each 16Gi worker one; the tenth has nowhere to go.
    const report = predictFit(naples(), replicas('dask-worker', 10, '2', '15Gi'));
    const pending = report.perPod.filter((pod) => !pod.fits);
    assert.equal(pending.length, 1);
    const overflow = overflowByNode(report);
    const [node, entry] = [...overflow][0] ?? [];
    assert.equal(node, pending[0]?.closest?.node);
    assert.deepEqual(entry?.pods, [{ pod: pending[0]?.pod, short: ['memory'] }]);
    assert.equal(entry?.request.memory, 15 * GI);
    const summary = fitSummary(report);
    assert.deepEqual(
      summary.pendingGroups.map((group) => [group.workload, group.pods.length, group.short]),
      [['dask-worker', 1, ['memory']]],
    );
    assert.match(summary.pendingGroups[0]?.message ?? '', /^0\/6 nodes are available: 6 Insufficient memory\./);
  });
});
