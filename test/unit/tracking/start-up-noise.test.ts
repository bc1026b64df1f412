import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { projectEvent, projectPod } from '../../../main/tracking/kube-objects';
import { withoutStartUpNoise } from '../../../main/tracking/start-up-noise';

const pod = (name: string, ready: { status: 'True' | 'False'; since: string }) =>
  projectPod({
    metadata: { uid: name, name, namespace: 'ns', resourceVersion: '1' },
    spec: { containers: [{ name: 'c' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready.status, lastTransitionTime: ready.since }] },
  });

const unhealthy = (pod: string, message: string, lastTimestamp: string) =>
  projectEvent({
    metadata: { uid: `${pod}-${lastTimestamp}`, name: pod, namespace: 'ns', resourceVersion: '2' },
    involvedObject: { kind: 'Pod', name: pod },
    type: 'Warning',
    reason: 'Unhealthy',
    message,
    lastTimestamp,
  });

const REFUSED = 'Readiness probe failed: Get "http://10.129.1.6:8081/hub/health": dial tcp 10.129.1.6:8081: connect: connection refused';

describe('recent events of a healthy environment', () => {
  it('leave out the readiness probes a pod failed while starting, once it became Ready after them', () => {
    const hub = pod('hub', { status: 'True', since: '2026-12-06T17:54:03Z' });
    const events = [unhealthy('hub', REFUSED, '2026-12-06T17:54:01Z')];
    assert.deepEqual(withoutStartUpNoise(events, [hub]), []);
  });

  it('keep a probe failure after the pod became Ready (a flapping pod), and every failure of a pod not Ready', () => {
    const flapping = pod('hub', { status: 'True', since: '2026-12-06T17:54:03Z' });
    const starting = pod('worker', { status: 'False', since: '2026-12-06T17:54:00Z' });
    const later = unhealthy('hub', REFUSED, '2026-12-06T17:58:00Z');
    const notReady = unhealthy('worker', REFUSED.replace('hub', 'worker'), '2026-12-06T17:54:01Z');
    assert.deepEqual(withoutStartUpNoise([later, notReady], [flapping, starting]), [later, notReady]);
  });

  it('keep other warnings of a Ready pod (a liveness probe, a pull, a kill)', () => {
    const hub = pod('hub', { status: 'True', since: '2026-12-06T17:54:03Z' });
    const liveness = unhealthy('hub', 'Liveness probe failed: HTTP probe failed with statuscode: 500', '2026-12-06T17:54:01Z');
    assert.deepEqual(withoutStartUpNoise([liveness], [hub]), [liveness]);
  });
});
