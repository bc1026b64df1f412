import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAfpError } from '../../../main/errors';
import { freeResources, snapshotFromObjects } from '../../../main/capacity/snapshot';
import { capacitySchema, snapshotFromProfile } from '../../../main/capacity/snapshot-profile';
import { apiNode, apiPod, container, naplesCapacity, podSpec } from './builders';

const GI = 1024 ** 3;
const MI = 1024 ** 2;

describe('snapshot from a site profile', () => {
  it('declares the Naples shape as six empty nodes, named per group', () => {
    const snapshot = snapshotFromProfile(naplesCapacity());
    assert.deepEqual(
      snapshot.nodes.map((node) => node.name),
      ['master', 'worker-1', 'worker-2', 'worker-3', 'worker-4', 'worker-5'],
    );
    const worker = snapshot.byName.get('worker-3');
    assert.deepEqual(worker?.allocatable, { cpu: 8000, memory: 16 * GI, pods: 110 });
    assert.deepEqual(freeResources(worker ?? { allocatable: {}, requested: {} }), { cpu: 8000, memory: 16 * GI, pods: 110 });
    assert.equal(snapshot.byName.get('master')?.labels['node-role.kubernetes.io/control-plane'], '');
    assert.equal(snapshot.byName.get('master')?.labels['kubernetes.io/hostname'], 'master');
    assert.equal(snapshot.source, 'profile');
  });

  it('keeps taints, cordons, ephemeral storage and extended resources', () => {
    const snapshot = snapshotFromProfile({
      nodes: [
        {
          name: 'gpu',
          cpu: '16',
          memory: '64Gi',
          ephemeralStorage: '100Gi',
          extendedResources: { 'nvidia.com/gpu': 4 },
          taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }],
          unschedulable: true,
        },
      ],
    });
    const node = snapshot.nodes[0];
    assert.deepEqual(node?.allocatable, { cpu: 16000, memory: 64 * GI, pods: 110, 'ephemeral-storage': 100 * GI, 'nvidia.com/gpu': 4 });
    assert.deepEqual(node?.taints, [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }]);
    assert.equal(node?.unschedulable, true);
  });

  it('refuses a bad section with the field path, and typos in field names', () => {
    const attempt = (capacity: unknown) => {
      try {
        snapshotFromProfile(capacity as never);
        return undefined;
      } catch (error) {
        assert.ok(isAfpError(error));
        return [error.code, error.field, error.message];
      }
    };
    assert.deepEqual(attempt({ nodes: [{ name: 'w', cpu: '8', memory: '16 GB' }] }), [
      'invalid_profile',
      'capacity.nodes.0.memory',
      'must be a Kubernetes quantity such as 8, 500m, 16Gi',
    ]);
    const typo = attempt({ nodes: [{ name: 'w', cpu: '8', memory: '16Gi', cpus: 4 }] });
    assert.equal(typo?.[1], 'capacity.nodes.0');
    assert.match(String(typo?.[2]), /cpus/);
    assert.deepEqual(
      attempt({
        nodes: [
          { name: 'w', cpu: 1, memory: '1Gi' },
          { name: 'w', cpu: 1, memory: '1Gi' },
        ],
      })?.slice(0, 2),
      ['invalid_profile', 'capacity.nodes'],
    );
  });

  it('exports the zod schema the site profile embeds', () => {
    assert.equal(capacitySchema.safeParse(naplesCapacity()).success, true);
    assert.equal(capacitySchema.safeParse({ nodes: [] }).success, false);
  });
});

describe('snapshot from API objects', () => {
  const nodes = [
    apiNode('a', { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '50Gi' }),
    apiNode('b', { cpu: '3800m', memory: '7Gi', pods: '2' }, { unschedulable: true, ready: false, labels: { zone: 'z1' } }),
  ];

  it('adds up the requests of non-terminated pods per node, and counts them', () => {
    const pods = [
      apiPod('running', 'a', podSpec('1', '1Gi')),
      apiPod('pending-bound', 'a', podSpec('500m', '512Mi'), 'Pending'),
      apiPod('done', 'a', podSpec('2', '2Gi'), 'Succeeded'),
      apiPod('failed', 'b', podSpec('2', '2Gi'), 'Failed'),
      apiPod('unbound', undefined, podSpec('2', '2Gi'), 'Pending'),
      apiPod('empty', 'b', { containers: [container('c')] }),
      apiPod('ghost', 'gone', podSpec('1', '1Gi')),
    ];
    const snapshot = snapshotFromObjects(nodes, pods);
    const a = snapshot.byName.get('a');
    assert.deepEqual(a?.requested, { pods: 2, cpu: 1500, memory: GI + 512 * MI });
    assert.deepEqual(freeResources(a ?? { allocatable: {}, requested: {} }), {
      cpu: 2500,
      memory: 8 * GI - GI - 512 * MI,
      pods: 108,
      'ephemeral-storage': 50 * GI,
    });
    assert.deepEqual(snapshot.byName.get('b')?.requested, { pods: 1 });
    assert.deepEqual(snapshot.byName.get('b')?.nonZeroRequested, { cpu: 100, memory: 200 * MI });
    assert.equal(snapshot.unscheduledPods, 1);
    assert.equal(snapshot.nodes.length, 2);
  });

  it('keeps cordon, readiness, labels and taints', () => {
    const tainted = { ...nodes[0], spec: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } };
    const snapshot = snapshotFromObjects([tainted, nodes[1] ?? apiNode('x', {})], []);
    assert.deepEqual(snapshot.byName.get('a')?.taints, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    const b = snapshot.byName.get('b');
    assert.deepEqual([b?.unschedulable, b?.ready, b?.labels.zone, b?.allocatable.cpu], [true, false, 'z1', 3800]);
  });
});
