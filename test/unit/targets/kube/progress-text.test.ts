import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventFacts, PodFacts } from '../../../../main/tracking/kube-objects';
import { noteEvent, podProblemLine, podProgress, type PodEventNotes } from '../../../../main/targets/kube/pod-progress';
import { readinessSaid, readinessText, reasonText, type WorkloadProgress } from '../../../../main/targets/kube/progress-text';
import { say } from '../../../../main/messages/message';

const SCHEDULER =
  '0/6 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 5 Insufficient memory. preemption: 0/6 nodes are available: 6 No preemption victims found for incoming pod.';

function pod(patch: Partial<PodFacts> = {}): PodFacts {
  return {
    uid: 'u1',
    resourceVersion: '1',
    name: 'worker-5d8f-x2x',
    namespace: 'demo',
    createdAt: '2026-01-01T00:00:00Z',
    deleting: false,
    component: 'worker',
    phase: 'Pending',
    ready: false,
    restarts: 0,
    problems: [],
    ports: [],
    labels: {},
    ...patch,
  };
}

function event(reason: string, message: string, lastSeen: string, name = 'worker-5d8f-x2x'): EventFacts {
  return {
    uid: `e-${reason}-${lastSeen}`,
    resourceVersion: '1',
    name: 'e',
    namespace: 'demo',
    createdAt: lastSeen,
    deleting: false,
    type: 'Warning',
    reason,
    message,
    object: { kind: 'Pod', name },
    count: 1,
    lastSeen,
  };
}

describe('pod progress in plain words', () => {
  it("a pod the scheduler cannot place shows the scheduler's own words, from the event or the condition", () => {
    const notes = new Map<string, PodEventNotes>();
    assert.equal(noteEvent(notes, event('FailedScheduling', SCHEDULER, '2026-01-01T00:00:01Z')), 'worker-5d8f-x2x');
    const progress = podProgress(pod(), notes.get('worker-5d8f-x2x'));
    assert.equal(progress.state, 'unschedulable');
    assert.equal(progress.text, `worker-5d8f-x2x: cannot be scheduled: ${SCHEDULER}`);
    assert.equal(podProblemLine(progress), `worker-5d8f-x2x: Pending: ${SCHEDULER}`);
    assert.equal(podProgress(pod({ unschedulable: SCHEDULER })).message, SCHEDULER);
  });

  it('an older event never replaces a newer one, and other events are ignored', () => {
    const notes = new Map<string, PodEventNotes>();
    noteEvent(notes, event('FailedScheduling', 'new', '2026-01-01T00:00:05Z'));
    assert.equal(noteEvent(notes, event('FailedScheduling', 'old', '2026-01-01T00:00:01Z')), undefined);
    assert.equal(noteEvent(notes, event('Scheduled', 'Successfully assigned', '2026-01-01T00:00:06Z')), undefined);
    assert.equal(notes.get('worker-5d8f-x2x')?.failedScheduling, 'new');
  });

  it('follows a pod from scheduled through pulling and running to ready', () => {
    assert.equal(podProgress(pod({ nodeName: 'af-worker-2' })).text, 'worker-5d8f-x2x: scheduled on af-worker-2');
    assert.equal(
      podProgress(pod({ nodeName: 'af-worker-2' }), { pulling: 'Pulling image "ghcr.io/dask/dask:2025.11.0"' }).state,
      'pulling',
    );
    assert.equal(podProgress(pod({ nodeName: 'af-worker-2', phase: 'Running' })).text, 'worker-5d8f-x2x: running, not ready yet');
    assert.equal(podProgress(pod({ nodeName: 'af-worker-2', phase: 'Running', ready: true })).text, 'worker-5d8f-x2x: ready');
  });

  it('image pull failures and crash loops are said plainly, with the restarts', () => {
    const pull = podProgress(
      pod({ nodeName: 'n', problems: [{ container: 'worker', reason: 'ImagePullBackOff', message: 'Back-off pulling image "nope:1"' }] }),
    );
    assert.equal(pull.state, 'waiting');
    assert.equal(
      pull.text,
      'worker-5d8f-x2x: cannot pull its image; Kubernetes keeps retrying with back-off: Back-off pulling image "nope:1"',
    );
    const crash = podProgress(
      pod({
        nodeName: 'n',
        phase: 'Running',
        restarts: 4,
        problems: [{ container: 'worker', reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' }],
      }),
    );
    assert.match(crash.text, /^worker-5d8f-x2x: keeps crashing \(restarted 4 times\); Kubernetes waits longer before each restart/);
    assert.equal(reasonText('ErrImagePull', 'rpc error: not found'), 'cannot pull its image: rpc error: not found');
    assert.equal(reasonText('OOMKilled', undefined, 1), 'ran out of memory and was stopped (restarted 1 time)');
    assert.equal(reasonText('SomethingNew', 'details'), 'SomethingNew: details');
  });

  it('names what is still missing when time runs out', () => {
    const workloads: WorkloadProgress[] = [
      { kind: 'Deployment', name: 'scheduler', ready: 1, desired: 1, done: true, pods: [] },
      {
        kind: 'Deployment',
        name: 'worker',
        ready: 2,
        desired: 7,
        done: false,
        pods: [say('pod.pendingWhy', { pod: 'worker-5d8f-x2x', why: SCHEDULER })],
      },
    ];
    assert.equal(readinessText(workloads), `worker: 2/7 ready; worker-5d8f-x2x: Pending: ${SCHEDULER}`);
    assert.equal(readinessText(workloads.slice(0, 1)), '1 workload ready');
    assert.equal(readinessText([...workloads.slice(0, 1), ...workloads.slice(0, 1)]), 'both workloads ready');
    assert.equal(
      readinessText([
        { kind: 'Deployment', name: 'hub', ready: 1, desired: 1, done: false, waiting: say('rollout.oldPods', { count: 1 }), pods: [] },
      ]),
      'hub: 1/1 ready (1 old pod stopping)',
    );
  });

  it("says the same as a message whose parts keep their ids, for the Deploy page in the user's language", () => {
    const said = readinessSaid([
      { kind: 'Deployment', name: 'worker', ready: 2, desired: 7, done: false, pods: [say('pod.pendingOnly', { pod: 'worker-x' })] },
    ]);
    assert.equal(said.id, 'list.semicolon');
    assert.equal((said.params?.first as { id: string }).id, 'readiness.workload');
    assert.equal((said.params?.rest as { id: string }).id, 'pod.pendingOnly');
    assert.equal(said.text, 'worker: 2/7 ready; worker-x: Pending');
  });
});
