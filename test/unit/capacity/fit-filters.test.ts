import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { predictFit } from '../../../main/capacity/fit';
import { snapshotFromProfile } from '../../../main/capacity/snapshot-profile';
import { CONTROL_PLANE, naples, pod, tolerateControlPlane } from './builders';

const PREEMPTION_ALL_UNRESOLVABLE = (n: number): string =>
  `no new claims to deallocate, preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;

describe('fit prediction: filters and kube-scheduler’s messages', () => {
  it('gives the scheduler’s exact message for a taint plus memory shortage on the Naples shape', () => {
    const report = predictFit(naples({ taintMaster: true }), [pod('big', '1', '20Gi')]);
    const [result] = report.perPod;
    assert.equal(result?.fits, false);
    assert.equal(
      result?.message,
      '0/6 nodes are available: 1 node(s) had untolerated taint(s), 5 Insufficient memory. no new claims to deallocate, ' +
        'preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.',
    );
    assert.deepEqual(result?.reasons, { 'node(s) had untolerated taint(s)': 1, 'Insufficient memory': 5 });
    assert.match(result?.hint ?? '', /taint node-role\.kubernetes\.io\/control-plane:NoSchedule/);
  });

  it('says preemption finds no victims where only the current load is in the way', () => {
    const snapshot = snapshotFromProfile({ nodes: [{ name: 'w', count: 2, cpu: '4', memory: '8Gi' }] });
    const report = predictFit(snapshot, [pod('a', '3', '1Gi'), pod('b', '3', '1Gi'), pod('c', '3', '1Gi')]);
    assert.deepEqual(
      report.perPod.map((p) => p.fits),
      [true, true, false],
    );
    assert.equal(
      report.perPod[2]?.message,
      '0/2 nodes are available: 2 Insufficient cpu. no new claims to deallocate, preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
    );
  });

  it('names cordoned nodes first in the chain, even when they are also full', () => {
    const snapshot = snapshotFromProfile({
      nodes: [
        { name: 'cordoned', cpu: '1', memory: '1Gi', unschedulable: true },
        { name: 'small', cpu: '1', memory: '1Gi' },
      ],
    });
    const report = predictFit(snapshot, [pod('p', '2', '512Mi')]);
    assert.equal(
      report.perPod[0]?.message,
      `0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable. ${PREEMPTION_ALL_UNRESOLVABLE(2)}`,
    );
  });

  it('lets a pod that tolerates the unschedulable taint onto a cordoned node', () => {
    const snapshot = snapshotFromProfile({ nodes: [{ name: 'cordoned', cpu: '4', memory: '4Gi', unschedulable: true }] });
    const tolerant = pod('t', '1', '1Gi', {
      tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }],
    });
    assert.equal(predictFit(snapshot, [tolerant]).perPod[0]?.node, 'cordoned');
  });

  it('lists every resource a node lacks, counting each per node', () => {
    const snapshot = snapshotFromProfile({ nodes: [{ name: 'n', count: 3, cpu: '2', memory: '2Gi', ephemeralStorage: '10Gi' }] });
    const spec = { containers: [{ name: 'c', resources: { requests: { cpu: '3', memory: '1Gi', 'ephemeral-storage': '20Gi' } } }] };
    const report = predictFit(snapshot, [{ component: 'x', name: 'x', spec }]);
    assert.equal(
      report.perPod[0]?.message,
      `0/3 nodes are available: 3 Insufficient cpu, 3 Insufficient ephemeral-storage. ${PREEMPTION_ALL_UNRESOLVABLE(3)}`,
    );
  });

  it('sorts the reasons as strings, the way Go’s sort.Strings does ("10 …" before "2 …")', () => {
    const snapshot = snapshotFromProfile({
      nodes: [
        { name: 'gpu-less', count: 10, cpu: '8', memory: '8Gi' },
        { name: 'labelled', count: 2, cpu: '8', memory: '8Gi', labels: { zone: 'a' } },
      ],
    });
    const gpuPod = {
      component: 'g',
      name: 'g',
      spec: { nodeSelector: { zone: 'b' }, containers: [{ name: 'c', resources: { limits: { 'nvidia.com/gpu': '1' } } }] },
    };
    const report = predictFit(snapshot, [gpuPod]);
    assert.equal(
      report.perPod[0]?.message?.split(' no new claims to deallocate, preemption:')[0],
      "0/12 nodes are available: 12 node(s) didn't match Pod's node affinity/selector.",
    );
    const cpuHungry = pod('c', '9', '1Gi', { tolerations: [] });
    const spread = snapshotFromProfile({
      nodes: [
        { name: 'a', count: 10, cpu: '8', memory: '8Gi' },
        { name: 'b', count: 2, cpu: '16', memory: '8Gi', taints: [{ key: 'k', value: 'v', effect: 'NoExecute' }] },
      ],
    });
    assert.equal(
      predictFit(spread, [cpuHungry]).perPod[0]?.message?.split(' no new claims to deallocate, preemption:')[0],
      '0/12 nodes are available: 10 Insufficient cpu, 2 node(s) had untolerated taint(s).',
    );
  });

  it('reports extended resources and the pod limit in the scheduler’s words', () => {
    const snapshot = snapshotFromProfile({ nodes: [{ name: 'n', cpu: '8', memory: '8Gi', pods: 1 }] });
    const gpu = { component: 'g', name: 'g', spec: { containers: [{ name: 'c', resources: { limits: { 'nvidia.com/gpu': '1' } } }] } };
    const report = predictFit(snapshot, [pod('first', '1', '1Gi'), gpu]);
    assert.equal(
      report.perPod[1]?.message?.split(' no new claims to deallocate, preemption:')[0],
      '0/1 nodes are available: 1 Insufficient nvidia.com/gpu, 1 Too many pods.',
    );
  });

  it('counts a pod with zero requests against the pod limit', () => {
    const snapshot = snapshotFromProfile({ nodes: [{ name: 'n', cpu: '8', memory: '8Gi', pods: 2 }] });
    const empty = (name: string) => ({ component: 'e', name, spec: { containers: [{ name: 'c' }] } });
    const report = predictFit(snapshot, [empty('a'), empty('b'), empty('c')]);
    assert.deepEqual(
      report.perPod.map((p) => p.fits),
      [true, true, false],
    );
    assert.equal(
      report.perPod[2]?.message,
      '0/1 nodes are available: 1 Too many pods. no new claims to deallocate, preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    );
  });

  it('honours tolerations: Exists, Equal with value, and effect-less ones', () => {
    const snapshot = snapshotFromProfile({
      nodes: [{ name: 't', cpu: '8', memory: '8Gi', taints: [{ key: 'dedicated', value: 'dask', effect: 'NoSchedule' }] }],
    });
    const fits = (tolerations: object[]) => predictFit(snapshot, [pod('p', '1', '1Gi', { tolerations })]).allFit;
    assert.equal(fits([]), false);
    assert.equal(fits([{ key: 'dedicated', operator: 'Exists' }]), true);
    assert.equal(fits([{ key: 'dedicated', value: 'dask', effect: 'NoSchedule' }]), true);
    assert.equal(fits([{ key: 'dedicated', value: 'jupyter', effect: 'NoSchedule' }]), false);
    assert.equal(fits([{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }]), false);
    assert.equal(fits([{ operator: 'Exists' }]), true);
  });

  it('ignores PreferNoSchedule taints for fit but steers pods away from them', () => {
    const snapshot = snapshotFromProfile({
      nodes: [
        { name: 'a-preferred-not', cpu: '8', memory: '8Gi', taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] },
        { name: 'b-plain', cpu: '8', memory: '8Gi' },
      ],
    });
    const report = predictFit(snapshot, [pod('p', '1', '1Gi')]);
    assert.equal(report.perPod[0]?.node, 'b-plain');
  });

  it('matches nodeSelector and required node affinity (terms ORed, expressions ANDed)', () => {
    const snapshot = snapshotFromProfile({
      nodes: [
        { name: 'gpu', cpu: '8', memory: '8Gi', labels: { accelerator: 'a100', generation: '4' } },
        { name: 'cpu', cpu: '8', memory: '8Gi', labels: { generation: '2' } },
      ],
    });
    const placeWith = (extra: object) => predictFit(snapshot, [pod('p', '1', '1Gi', extra)]).perPod[0]?.node;
    assert.equal(placeWith({ nodeSelector: { accelerator: 'a100' } }), 'gpu');
    const required = (terms: object[]) => ({
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } },
    });
    assert.equal(placeWith(required([{ matchExpressions: [{ key: 'accelerator', operator: 'DoesNotExist' }] }])), 'cpu');
    assert.equal(placeWith(required([{ matchExpressions: [{ key: 'generation', operator: 'Gt', values: ['3'] }] }])), 'gpu');
    assert.equal(placeWith(required([{ matchExpressions: [{ key: 'generation', operator: 'Lt', values: ['3'] }] }])), 'cpu');
    assert.equal(placeWith(required([{ matchExpressions: [{ key: 'accelerator', operator: 'NotIn', values: ['a100'] }] }])), 'cpu');
    assert.equal(placeWith(required([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['cpu'] }] }])), 'cpu');
    const none = required([
      {
        matchExpressions: [
          { key: 'accelerator', operator: 'In', values: ['a100'] },
          { key: 'generation', operator: 'In', values: ['2'] },
        ],
      },
      { matchExpressions: [{ key: 'missing', operator: 'Exists' }] },
    ]);
    const report = predictFit(snapshot, [pod('p', '1', '1Gi', none)]);
    assert.equal(
      report.perPod[0]?.message?.split(' no new claims to deallocate, preemption:')[0],
      "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.",
    );
  });

  it('prefers nodes matching preferred affinity terms', () => {
    const snapshot = snapshotFromProfile({
      nodes: [
        { name: 'a', cpu: '8', memory: '8Gi' },
        { name: 'b', cpu: '8', memory: '8Gi', labels: { fast: 'yes' } },
      ],
    });
    const preferred = {
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 50, preference: { matchExpressions: [{ key: 'fast', operator: 'In', values: ['yes'] }] } },
          ],
        },
      },
    };
    assert.equal(predictFit(snapshot, [pod('p', '1', '1Gi', preferred)]).perPod[0]?.node, 'b');
  });

  it('checks a pod pinned by node name on those nodes alone, in the scheduler’s words (as v1.35 prints them)', () => {
    const byName = (name: string, extra: object = {}) => ({
      matchFields: [{ key: 'metadata.name', operator: 'In', values: [name] }],
      ...extra,
    });
    const pinned = pod('pinned', '9', '1Gi', {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [byName('worker-1'), byName('worker-2', { matchExpressions: [{ key: 'nope', operator: 'Exists' }] })],
          },
        },
      },
    });
    // Word for word what kube-scheduler v1.35 said for this pod on the test bed.
    assert.equal(
      predictFit(naples(), [pinned]).perPod[0]?.message,
      "0/6 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector, 4 node(s) didn't satisfy plugin(s) [NodeAffinity]. " +
        'no new claims to deallocate, preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.',
    );
    const onWorker3 = pod('ok', '1', '1Gi', {
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [byName('worker-3')] } } },
    });
    assert.equal(predictFit(naples(), [onWorker3]).perPod[0]?.node, 'worker-3');
    const conflict = pod('conflict', '100m', '1Gi', {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchFields: [
                  { key: 'metadata.name', operator: 'In', values: ['worker-1'] },
                  { key: 'metadata.name', operator: 'In', values: ['worker-2'] },
                ],
              },
            ],
          },
        },
      },
    });
    assert.equal(predictFit(naples(), [conflict]).perPod[0]?.message, '0/6 nodes are available: pod affinity terms conflict. not found');
  });

  it('says so plainly when the cluster has no nodes', () => {
    const report = predictFit({ source: 'profile', nodes: [], byName: new Map(), unscheduledPods: 0 }, [pod('p', '1', '1Gi')]);
    assert.equal(report.perPod[0]?.message, 'no nodes available to schedule pods');
  });

  it('reports a pod with preemptionPolicy Never as not eligible for preemption', () => {
    const report = predictFit(naples(), [pod('p', '64', '1Gi', { preemptionPolicy: 'Never' })]);
    assert.equal(
      report.perPod[0]?.message,
      '0/6 nodes are available: 6 Insufficient cpu. no new claims to deallocate, preemption: not eligible due to preemptionPolicy=Never.',
    );
  });

  it('places a pod tolerating the control-plane taint on the big node when only it has room', () => {
    const report = predictFit(naples({ taintMaster: true }), [pod('p', '16', '32Gi', { tolerations: tolerateControlPlane })]);
    assert.equal(report.perPod[0]?.node, 'master');
    assert.equal(report.nodes.find((n) => n.name === 'master')?.freeAfter.cpu, 16000);
    assert.ok(report.nodes.find((n) => n.name === 'master')?.allocatable);
    assert.equal(
      CONTROL_PLANE in
        (snapshotFromProfile({ nodes: [{ name: 'x', cpu: 1, memory: '1Gi', labels: { [CONTROL_PLANE]: '' } }] }).nodes[0]?.labels ?? {}),
      true,
    );
  });

  it('flags the parts of a spec it does not check', () => {
    const withVolume = pod('p', '1', '1Gi', {
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
      priorityClassName: 'high',
    });
    const caveats = predictFit(naples(), [withVolume]).perPod[0]?.caveats ?? [];
    assert.equal(caveats.length, 2);
    assert.match(caveats.join('\n'), /persistent volumes are assumed to bind/);
    assert.match(caveats.join('\n'), /priority class high/);
  });
});
