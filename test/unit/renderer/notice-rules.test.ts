import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppEvent } from '../../../main/api';
import { NoticeRules } from '../../../renderer/client/notice-rules';

const batch = (environmentId: string, phase: string, message?: string): AppEvent =>
  ({
    type: 'environments.batch',
    deltas: [{ environmentId, name: environmentId, status: { phase, since: '', ...(message === undefined ? {} : { message }) } }],
  }) as AppEvent;
const done = (environmentId: string, kind: 'deploy' | 'update' | 'delete', outcome: 'succeeded' | 'failed'): AppEvent => ({
  type: 'operation.done',
  operationId: 'op',
  environmentId,
  kind,
  outcome,
  ...(outcome === 'failed' ? { error: { code: 'timeout', message: 'not Ready in 10 minutes' } } : {}),
});

describe('desktop notifications: when an environment becomes Ready or fails', () => {
  it('tells a deploy that ends Ready once, whether the status or the operation says so first', () => {
    const rules = new NoticeRules();
    assert.deepEqual(rules.notices(batch('a', 'Deploying')), [], 'the first status seen is no change');
    assert.deepEqual(rules.notices(batch('a', 'Ready')), [{ kind: 'ready', environmentId: 'a' }]);
    assert.deepEqual(rules.notices(done('a', 'deploy', 'succeeded')), [], 'not twice');
    const other = new NoticeRules();
    assert.deepEqual(other.notices(done('b', 'deploy', 'succeeded')), [{ kind: 'ready', environmentId: 'b' }]);
    assert.deepEqual(other.notices(batch('b', 'Deploying')), []);
    assert.deepEqual(other.notices(batch('b', 'Ready')), []);
  });

  it('tells a failed operation with its reason, and a Ready environment that degrades, then Ready again', () => {
    const rules = new NoticeRules();
    assert.deepEqual(rules.notices(done('a', 'deploy', 'failed')), [
      { kind: 'failed', environmentId: 'a', what: 'deploy', message: 'not Ready in 10 minutes' },
    ]);
    rules.notices(batch('c', 'Ready'));
    assert.deepEqual(rules.notices(batch('c', 'Degraded', 'pod hub-1 crashed')), [
      { kind: 'degraded', environmentId: 'c', message: 'pod hub-1 crashed' },
    ]);
    assert.deepEqual(rules.notices(batch('c', 'Ready')), [{ kind: 'ready', environmentId: 'c' }]);
    assert.deepEqual(rules.notices(done('c', 'delete', 'succeeded')), [], 'a delete that worked is not news');
  });

  it("carries the reason's id and parameters, so the notification says it in the user's language", () => {
    const rules = new NoticeRules();
    rules.notices(batch('d', 'Ready'));
    const degraded: AppEvent = {
      type: 'environments.batch',
      deltas: [
        {
          environmentId: 'd',
          name: 'd',
          status: { phase: 'Degraded', since: '', message: '0/1 pods ready', id: 'status.podsReady', params: { ready: 0, total: 1 } },
        },
      ],
    };
    assert.deepEqual(rules.notices(degraded), [
      { kind: 'degraded', environmentId: 'd', message: '0/1 pods ready', id: 'status.podsReady', params: { ready: 0, total: 1 } },
    ]);
  });
});
