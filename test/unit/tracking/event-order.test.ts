import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newestEventFirst } from '../../../main/tracking/event-order';
import { projectEvent } from '../../../main/tracking/kube-objects';

const event = (name: string, resourceVersion: string, times: { lastTimestamp?: string; eventTime?: string }) =>
  projectEvent({
    metadata: { uid: name, name, namespace: 'ns', resourceVersion },
    involvedObject: { kind: 'Pod', name },
    reason: name,
    ...times,
  });

describe('recent events order', () => {
  it('puts a later second-precision event above an earlier microsecond one, and the other way round', () => {
    const scheduled = event('Scheduled', '100', { eventTime: '2026-11-24T04:31:05.120000Z' });
    const started = event('Started', '110', { lastTimestamp: '2026-11-24T04:31:07Z' });
    const killed = event('Killing', '120', { eventTime: '2026-11-24T04:31:09.500000Z' });
    assert.deepEqual(
      [scheduled, killed, started].sort(newestEventFirst).map((e) => e.reason),
      ['Killing', 'Started', 'Scheduled'],
    );
  });

  it('orders events of the same second by when the API server stored them', () => {
    // As text, "…05Z" sorts after "…05.900000Z"; the scheduler's event was stored first.
    const scheduled = event('Scheduled', '200', { eventTime: '2026-11-24T04:31:05.900000Z' });
    const pulled = event('Pulled', '201', { lastTimestamp: '2026-11-24T04:31:05Z' });
    const created = event('Created', '202', { lastTimestamp: '2026-11-24T04:31:05Z' });
    assert.deepEqual(
      [pulled, scheduled, created].sort(newestEventFirst).map((e) => e.reason),
      ['Created', 'Pulled', 'Scheduled'],
    );
  });

  it('keeps working when a server hands out resource versions that are not numbers', () => {
    const a = event('A', 'x1', { eventTime: '2026-11-24T04:31:05.100000Z' });
    const b = event('B', 'x0', { eventTime: '2026-11-24T04:31:05.200000Z' });
    assert.deepEqual(
      [a, b].sort(newestEventFirst).map((e) => e.reason),
      ['B', 'A'],
    );
  });
});
