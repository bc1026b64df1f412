import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterHealth, NamespaceFactsSet } from '../../../main/tracking/cluster-watch';
import { deriveKubeStatus as deriveWithMessage, type DerivedStatus, type Eviction } from '../../../main/tracking/derive-status';

/** The status in English, as afp status prints it; its message (`said`, for the renderer) is checked on its own below. */
function deriveKubeStatus(input: Parameters<typeof deriveWithMessage>[0]): Omit<DerivedStatus, 'said'> | undefined {
  const status = deriveWithMessage(input);
  if (status === undefined) return undefined;
  const { said, ...english } = status;
  assert.equal(said?.text, english.message, 'the message says what the English text says');
  return english;
}
import type { PodFacts, WorkloadFacts } from '../../../main/tracking/kube-objects';
import { projectPod, projectWorkload } from '../../../main/tracking/kube-objects';
import type { EnvironmentRecord, OperationRecord } from '../../../main/inventory/record';
import { kubeRecord } from './records';

const reachable: ClusterHealth = { reachable: true, lastSeen: Date.now() };

function facts(patch: Partial<NamespaceFactsSet> = {}): NamespaceFactsSet {
  return {
    synced: true,
    namespaceWatched: true,
    namespace: { uid: 'ns', resourceVersion: '1', name: 'afp-demo', namespace: '', createdAt: '', deleting: false, phase: 'Active' },
    pods: [],
    services: [],
    ingresses: [],
    workloads: [],
    events: [],
    ...patch,
  };
}

function pod(name: string, status: object, extra: { owner?: string; node?: string } = {}): PodFacts {
  return projectPod({
    metadata: {
      uid: `uid-${name}`,
      name,
      namespace: 'afp-demo',
      resourceVersion: '5',
      ...(extra.owner === undefined ? {} : { ownerReferences: [{ kind: 'ReplicaSet', name: extra.owner, controller: true }] }),
    },
    spec: { containers: [{ name: 'main' }], ...(extra.node === undefined ? {} : { nodeName: extra.node }) },
    status,
  });
}

const running = {
  phase: 'Running',
  conditions: [{ type: 'Ready', status: 'True' }],
  containerStatuses: [{ name: 'main', restartCount: 0, state: { running: {} } }],
};

function deployment(name: string, desired: number, ready: number): WorkloadFacts {
  return projectWorkload('Deployment')({
    metadata: { uid: `uid-${name}`, name, namespace: 'afp-demo', resourceVersion: '3', generation: 1 },
    spec: { replicas: desired },
    status: { observedGeneration: 1, replicas: desired, readyReplicas: ready, availableReplicas: ready, updatedReplicas: desired },
  });
}

function record(operations: OperationRecord[] = [], patch: Partial<EnvironmentRecord> = {}): EnvironmentRecord {
  return kubeRecord({ operations, ...patch });
}

const op = (kind: OperationRecord['kind'], outcome: OperationRecord['outcome'], message?: string): OperationRecord => ({
  id: `op-${kind}`,
  kind,
  startedAt: '2025-01-01T00:00:00.000Z',
  outcome,
  ...(message === undefined ? {} : { message }),
});

describe('deriveKubeStatus', () => {
  it('says nothing before the watches have listed', () => {
    assert.equal(deriveKubeStatus({ record: record(), facts: facts({ synced: false }), cluster: reachable }), undefined);
  });

  it('is Ready when every workload is ready and no pod has a problem', () => {
    const status = deriveKubeStatus({
      record: record(),
      facts: facts({ pods: [pod('web-1', running)], workloads: [deployment('web', 1, 1)] }),
      cluster: reachable,
    });
    assert.deepEqual(status, { phase: 'Ready', message: '1/1 pods ready' });
  });

  it("stays Ready while pods outside the workloads start (a user's server), naming them", () => {
    const pending = {
      phase: 'Pending',
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [{ name: 'main', restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }],
    };
    const users = ['jupyter-alice', 'jupyter-bob', 'jupyter-carol', 'jupyter-dan'].map((n) => pod(n, pending));
    const one = deriveKubeStatus({
      record: record(),
      facts: facts({ pods: [pod('hub-1', running), users[0] ?? pod('x', pending)], workloads: [deployment('hub', 1, 1)] }),
      cluster: reachable,
    });
    assert.deepEqual(one, { phase: 'Ready', message: '1/2 pods ready; starting: jupyter-alice' });
    const many = deriveKubeStatus({
      record: record(),
      facts: facts({ pods: [pod('hub-1', running), ...users], workloads: [deployment('hub', 1, 1)] }),
      cluster: reachable,
    });
    assert.deepEqual(many, { phase: 'Ready', message: '1/5 pods ready; starting: jupyter-alice, jupyter-bob, jupyter-carol and 1 more' });
  });

  it('is Degraded naming the pod and the reason for CrashLoopBackOff', () => {
    const crashing = pod(
      'dask-worker-0',
      {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [
          {
            name: 'main',
            restartCount: 4,
            state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } },
          },
        ],
      },
      { owner: 'dask-worker-6c8' },
    );
    const status = deriveKubeStatus({
      record: record(),
      facts: facts({ pods: [crashing], workloads: [deployment('dask-worker', 1, 0)] }),
      cluster: reachable,
    });
    assert.equal(status?.phase, 'Degraded');
    assert.equal(status?.message, 'dask-worker-0: CrashLoopBackOff — back-off 40s restarting failed container (restarted 4 times).');
  });

  it('explains a Pending replacement of a pod evicted from a cordoned node', () => {
    const pending = pod(
      'web-7d9-new',
      {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/7 nodes are available: 1 node(s) were unschedulable.',
          },
        ],
      },
      { owner: 'web-7d9' },
    );
    const evictions: Eviction[] = [{ pod: 'web-7d9-old', node: 'worker-3', owner: 'web', at: Date.now() }];
    const status = deriveKubeStatus({
      record: record(),
      facts: facts({ pods: [pending], workloads: [deployment('web', 1, 0)] }),
      cluster: reachable,
      evictions,
    });
    assert.equal(status?.phase, 'Degraded');
    assert.equal(
      status?.message,
      'web-7d9-new: cannot be scheduled: 0/7 nodes are available: 1 node(s) were unschedulable. It replaces web-7d9-old, evicted from node worker-3, which is cordoned.',
    );
  });

  it('is Gone when the namespace disappeared without us deleting it, Deleted when we did', () => {
    assert.deepEqual(deriveKubeStatus({ record: record(), facts: facts({ namespace: undefined }), cluster: reachable }), {
      phase: 'Gone',
      message: 'Namespace afp-demo was deleted outside the app.',
    });
    assert.equal(
      deriveKubeStatus({ record: record([op('delete', 'running')]), facts: facts({ namespace: undefined }), cluster: reachable })?.phase,
      'Deleted',
    );
    // Without the right to watch namespaces, absence proves nothing.
    assert.equal(
      deriveKubeStatus({ record: record(), facts: facts({ namespace: undefined, namespaceWatched: false }), cluster: reachable })?.phase,
      'Ready',
    );
  });

  it('is Deleting while the namespace terminates, saying whether we asked for it', () => {
    const terminating = facts({
      namespace: { uid: 'ns', resourceVersion: '2', name: 'afp-demo', namespace: '', createdAt: '', deleting: true, phase: 'Terminating' },
    });
    assert.match(deriveKubeStatus({ record: record(), facts: terminating, cluster: reachable })?.message ?? '', /outside the app/);
    assert.deepEqual(deriveKubeStatus({ record: record([op('delete', 'running')]), facts: terminating, cluster: reachable }), {
      phase: 'Deleting',
      message: 'Deleting namespace afp-demo…',
    });
  });

  it('is Unknown since the moment the cluster became unreachable, whatever the last facts said', () => {
    const since = Date.parse('2025-03-01T12:00:00.000Z');
    const status = deriveKubeStatus({
      record: record(),
      facts: facts({ synced: false }),
      cluster: {
        reachable: false,
        since,
        lastSeen: since - 1000,
        error: Object.assign(new Error('The Kubernetes API server is not reachable (ECONNREFUSED).'), {
          code: 'unavailable' as const,
        }) as never,
      },
    });
    assert.deepEqual(status, {
      phase: 'Unknown',
      message: 'Cluster unreachable since 2025-03-01T12:00:00.000Z: The Kubernetes API server is not reachable (ECONNREFUSED).',
      since,
    });
  });

  it('is Deploying while a deploy runs, showing the first problem; Failed when it failed and things are still wrong', () => {
    const pulling = pod(
      'hub-0',
      {
        phase: 'Pending',
        containerStatuses: [
          { name: 'main', restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "hub:9"' } } },
        ],
      },
      { owner: 'hub-5d4' },
    );
    const wrong = facts({ pods: [pulling], workloads: [deployment('hub', 1, 0)] });
    assert.deepEqual(deriveKubeStatus({ record: record([op('deploy', 'running')]), facts: wrong, cluster: reachable }), {
      phase: 'Deploying',
      message: 'hub-0: ImagePullBackOff — Back-off pulling image "hub:9".',
    });
    const failed = deriveKubeStatus({
      record: record([op('deploy', 'failed', 'Timed out waiting for hub.')]),
      facts: wrong,
      cluster: reachable,
    });
    assert.equal(failed?.phase, 'Failed');
    assert.match(failed?.message ?? '', /^Timed out waiting for hub\. Now: hub-0: ImagePullBackOff/);
    // A failed deploy whose workloads came up after all is Ready.
    assert.equal(
      deriveKubeStatus({
        record: record([op('deploy', 'failed')]),
        facts: facts({ workloads: [deployment('hub', 1, 1)] }),
        cluster: reachable,
      })?.phase,
      'Ready',
    );
  });

  it('is Degraded when a workload the last deploy applied is missing', () => {
    const status = deriveKubeStatus({
      record: record([op('deploy', 'succeeded')], {
        objects: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'dask-scheduler', state: 'applied' }],
      }),
      facts: facts(),
      cluster: reachable,
    });
    assert.deepEqual(status, { phase: 'Degraded', message: 'Deployment dask-scheduler is missing (deleted outside the app).' });
  });

  it('counts further problems instead of listing them all', () => {
    const crash = (name: string): PodFacts =>
      pod(
        name,
        { phase: 'Running', containerStatuses: [{ name: 'main', restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
        { owner: 'w-5f' },
      );
    const status = deriveKubeStatus({
      record: record(),
      facts: facts({ pods: [crash('w-5f-a'), crash('w-5f-b'), crash('w-5f-c')], workloads: [deployment('w', 3, 0)] }),
      cluster: reachable,
    });
    assert.equal(status?.message, 'w-5f-a: CrashLoopBackOff (restarted 1 time). (and 2 more)');
  });
});

describe('deriveKubeStatus: drift and failed deploys', () => {
  const readyFacts = (): NamespaceFactsSet => facts({ pods: [pod('w-1', running, { owner: 'w-5f' })], workloads: [deployment('w', 1, 1)] });

  it('is Drifted, naming the field, the values and who changed it, when objects were changed outside the app', () => {
    const status = deriveKubeStatus({
      record: record([op('deploy', 'succeeded')]),
      facts: readyFacts(),
      cluster: reachable,
      drift: [{ kind: 'Deployment', name: 'w', field: 'spec.replicas', expected: '1', found: '3', manager: 'kubectl' }],
    });
    assert.equal(status?.phase, 'Drifted');
    assert.match(status?.message ?? '', /Deployment w: spec\.replicas is 3, expected 1 \(changed by kubectl\)/);
  });

  it('says its status as a message whose parts keep their ids, so the app can say it in Italian', () => {
    const drift = [
      { kind: 'Deployment', name: 'w', field: 'spec.replicas', expected: '1', found: '3', manager: 'kubectl' },
      { kind: 'Service', name: 'w', field: '(object)', expected: 'present', found: 'deleted' },
    ];
    const status = deriveWithMessage({ record: record([op('deploy', 'succeeded')]), facts: readyFacts(), cluster: reachable, drift });
    assert.equal(status?.said?.id, 'status.driftedMore');
    assert.equal(status?.said?.params?.count, 1);
    assert.deepEqual(status?.said?.params?.change, {
      id: 'drift.changed',
      params: { object: 'Deployment w', field: 'spec.replicas', found: '3', expected: '1', manager: 'kubectl' },
      text: 'Deployment w: spec.replicas is 3, expected 1 (changed by kubectl)',
    });
    assert.equal(
      status?.message,
      'Changed outside the app: Deployment w: spec.replicas is 3, expected 1 (changed by kubectl) (and 1 more change). Restore re-applies the recorded plan.',
    );
  });

  it('is Ready again when nothing drifted', () => {
    assert.equal(
      deriveKubeStatus({ record: record([op('deploy', 'succeeded')]), facts: readyFacts(), cluster: reachable, drift: [] })?.phase,
      'Ready',
    );
  });

  it('a deploy that failed before anything was created is Failed with its reason, not Gone or Unknown', () => {
    const failed = record([op('deploy', 'failed', 'The API server refused the connection.')]);
    const gone = facts({ namespace: undefined });
    assert.deepEqual(deriveKubeStatus({ record: failed, facts: gone, cluster: reachable }), {
      phase: 'Failed',
      message: 'Deploy failed before anything was created: The API server refused the connection.',
    });
    const unreachable: ClusterHealth = { reachable: false, since: Date.now(), lastSeen: Date.now() };
    assert.equal(deriveKubeStatus({ record: failed, facts: gone, cluster: unreachable })?.phase, 'Failed');
    assert.equal(deriveKubeStatus({ record: record([op('deploy', 'cancelled')]), facts: gone, cluster: reachable })?.phase, 'Cancelled');
  });
});
