import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { projectRollout, rolloutState as rolloutMessage, type RolloutFacts } from '../../../../main/targets/kube/rollout';

/** The state with what it waits for in English (the message's text; its id is held to the catalogues by the compiler). */
function rolloutState(facts: RolloutFacts): { done: boolean; waiting?: string } {
  const { done, waiting } = rolloutMessage(facts);
  return waiting === undefined ? { done } : { done, waiting: waiting.text };
}

function deployment(patch: Partial<RolloutFacts>): RolloutFacts {
  return {
    uid: 'u',
    resourceVersion: '1',
    name: 'worker',
    kind: 'Deployment',
    desired: 3,
    replicas: 3,
    updated: 3,
    ready: 3,
    available: 3,
    generation: 2,
    observedGeneration: 2,
    ...patch,
  };
}

describe('rollout status, as kubectl rollout status judges it', () => {
  it('done when the controller saw the latest spec and every replica is updated, ready and available', () => {
    assert.deepEqual(rolloutState(deployment({})), { done: true });
  });

  it('not done while the controller has not seen the latest spec (the status is from before the apply)', () => {
    assert.deepEqual(rolloutState(deployment({ generation: 3 })), { done: false, waiting: 'waiting for its controller' });
  });

  it('not done while a new revision rolls out, even if the old pods are all ready', () => {
    assert.deepEqual(rolloutState(deployment({ desired: 1, replicas: 2, updated: 1, ready: 1, available: 1 })), {
      done: false,
      waiting: '1 old pod stopping',
    });
    assert.deepEqual(rolloutState(deployment({ updated: 1 })), { done: false, waiting: '1/3 updated' });
  });

  it('a scale-down is done only when the extra pods stopped counting', () => {
    assert.deepEqual(rolloutState(deployment({ desired: 2, replicas: 2, updated: 2, ready: 8, available: 8 })), {
      done: false,
      waiting: '6 pods stopping',
    });
    assert.equal(rolloutState(deployment({ desired: 2, replicas: 2, updated: 2, ready: 2, available: 2 })).done, true);
  });

  it('a scale-up waits for the new pods; zero replicas is done at once', () => {
    assert.deepEqual(rolloutState(deployment({ desired: 8, replicas: 8, updated: 8, ready: 3, available: 3 })), { done: false });
    assert.equal(rolloutState(deployment({ desired: 0, replicas: 0, updated: 0, ready: 0, available: 0 })).done, true);
  });

  it('a stalled rollout says why; a StatefulSet waits for its update revision', () => {
    assert.deepEqual(rolloutState(deployment({ stalled: 'ReplicaSet "worker-x" has timed out progressing.' })), {
      done: false,
      waiting: 'stalled: ReplicaSet "worker-x" has timed out progressing.',
    });
    assert.equal(rolloutState(deployment({ kind: 'StatefulSet', currentRevision: 'a', updateRevision: 'b' })).done, false);
    assert.equal(rolloutState(deployment({ kind: 'StatefulSet', replicas: 4, currentRevision: 'b', updateRevision: 'b' })).done, true);
  });

  it('reads the object as the API server gives it', () => {
    const facts = projectRollout('Deployment')({
      metadata: {
        uid: 'u1',
        name: 'hub',
        namespace: 'demo',
        resourceVersion: '42',
        generation: 3,
        labels: { 'app.kubernetes.io/component': 'hub' },
      },
      spec: { replicas: 1 },
      status: {
        observedGeneration: 2,
        replicas: 2,
        updatedReplicas: 1,
        readyReplicas: 1,
        availableReplicas: 1,
        conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'timed out' }],
      },
    });
    assert.deepEqual(facts, {
      uid: 'u1',
      resourceVersion: '42',
      name: 'hub',
      namespace: 'demo',
      kind: 'Deployment',
      component: 'hub',
      desired: 1,
      replicas: 2,
      updated: 1,
      ready: 1,
      available: 1,
      generation: 3,
      observedGeneration: 2,
      stalled: 'timed out',
    });
  });
});
