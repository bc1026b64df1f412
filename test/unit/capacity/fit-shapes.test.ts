/**
 * A prediction works out each node's cordon, taint and affinity verdict once
 * per placement shape (tolerations, nodeSelector, required node affinity) and
 * shares it among the pods of that shape. Pods that differ in any of these
 * must never share verdicts, whichever comes first.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Affinity, V1PodSpec } from '@kubernetes/client-node';
import { predictFit } from '../../../main/capacity/fit';
import { snapshotFromProfile, type NodeGroup } from '../../../main/capacity/snapshot-profile';
import { pod, replicas } from './builders';

const DEDICATED = { key: 'dedicated', value: 'dask', effect: 'NoSchedule' } as const;
const tolerateDedicated: V1PodSpec['tolerations'] = [{ key: 'dedicated', operator: 'Equal', value: 'dask', effect: 'NoSchedule' }];

function cluster(...groups: NodeGroup[]) {
  return snapshotFromProfile({ nodes: groups });
}

describe('placement verdicts shared by pods of one shape', () => {
  const tainted = cluster({ name: 'dask', count: 3, cpu: '8', memory: '16Gi', taints: [{ ...DEDICATED }] });

  it('are not shared between pods that differ only in their tolerations, in either order', () => {
    const plain = pod('plain', '1', '1Gi');
    const tolerant = pod('tolerant', '1', '1Gi', { tolerations: tolerateDedicated });
    for (const order of [
      [plain, tolerant],
      [tolerant, plain],
    ]) {
      const report = predictFit(tainted, order);
      const byName = new Map(report.perPod.map((fit) => [fit.pod, fit]));
      assert.equal(byName.get('tolerant')?.fits, true);
      assert.equal(byName.get('plain')?.fits, false);
      assert.deepEqual(byName.get('plain')?.reasons, { 'node(s) had untolerated taint(s)': 3 });
    }
  });

  it('are not shared between pods that select different labels', () => {
    const snapshot = cluster(
      { name: 'ssd', cpu: '8', memory: '16Gi', labels: { disk: 'ssd' } },
      { name: 'hdd', cpu: '8', memory: '16Gi', labels: { disk: 'hdd' } },
    );
    const report = predictFit(snapshot, [
      pod('fast', '1', '1Gi', { nodeSelector: { disk: 'ssd' } }),
      pod('slow', '1', '1Gi', { nodeSelector: { disk: 'hdd' } }),
    ]);
    assert.deepEqual(
      report.perPod.map((fit) => fit.node),
      ['ssd', 'hdd'],
    );
  });

  it('tell a selector label set to undefined from an empty selector', () => {
    // The filter compares each selector value with the node's label: undefined matches only a node without the label.
    const snapshot = cluster({ name: 'labelled', cpu: '8', memory: '16Gi', labels: { disk: 'ssd' } });
    const unset = { disk: undefined } as unknown as Record<string, string>;
    const report = predictFit(snapshot, [pod('any', '1', '1Gi', { nodeSelector: {} }), pod('unset', '1', '1Gi', { nodeSelector: unset })]);
    assert.deepEqual(
      report.perPod.map((fit) => fit.fits),
      [true, false],
    );
  });

  it('are not shared between pods whose required node affinity differs', () => {
    const snapshot = cluster(
      { name: 'big', cpu: '8', memory: '16Gi', labels: { tier: 'big' } },
      { name: 'small', cpu: '8', memory: '16Gi' },
    );
    const affinity = (operator: string): V1Affinity => ({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'tier', operator }] }] },
      },
    });
    const report = predictFit(snapshot, [
      pod('on-big', '1', '1Gi', { affinity: affinity('Exists') }),
      pod('off-big', '1', '1Gi', { affinity: affinity('DoesNotExist') }),
    ]);
    assert.deepEqual(
      report.perPod.map((fit) => fit.node),
      ['big', 'small'],
    );
  });

  it('keep pods off tainted nodes on a sampled cluster, after tolerant pods of the same size went first', () => {
    // 200 nodes: the search stops at 100 feasible ones, in windows that move with each pod.
    const snapshot = cluster(
      { name: 'plain', count: 100, cpu: '4', memory: '8Gi' },
      { name: 'tainted', count: 100, cpu: '4', memory: '8Gi', taints: [{ ...DEDICATED }] },
    );
    const tolerant = replicas('tolerant', 30, '1', '1Gi', { tolerations: tolerateDedicated });
    const plain = replicas('plain', 30, '1', '1Gi');
    const report = predictFit(snapshot, [...tolerant, ...plain]);
    assert.equal(report.allFit, true);
    const tolerantNodes = new Set(report.perPod.filter((fit) => fit.component === 'tolerant').map((fit) => fit.node?.split('-')[0]));
    assert.ok(tolerantNodes.has('tainted'), 'tolerant pods use the tainted nodes too');
    for (const fit of report.perPod.filter((entry) => entry.component === 'plain')) assert.match(fit.node ?? '', /^plain-/, fit.pod);
  });

  it('give replicas of one spec and identical specs of different components the same placement', () => {
    const snapshot = cluster(
      { name: 'ssd', count: 2, cpu: '8', memory: '16Gi', labels: { disk: 'ssd' } },
      { name: 'hdd', count: 2, cpu: '8', memory: '16Gi' },
    );
    const spec = (): Partial<V1PodSpec> => ({ nodeSelector: { disk: 'ssd' } });
    const report = predictFit(snapshot, [...replicas('a', 3, '1', '1Gi', spec()), ...replicas('b', 3, '1', '1Gi', spec())]);
    for (const fit of report.perPod) assert.match(fit.node ?? '', /^ssd-/, fit.pod);
  });
});
