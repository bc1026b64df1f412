import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EnvironmentDetail } from '../../../main/api';
import { operationView, type Done } from '../../../renderer/pages/operation-outcome';

type Last = NonNullable<EnvironmentDetail['summary']['lastOperation']>;

// Only the fields the Deploy page reads: the last operation and the objects' states.
const record = (last: Last | undefined, states: string[]): EnvironmentDetail =>
  ({
    summary: { lastOperation: last },
    objects: states.map((state, i) => ({ kind: 'Deployment', name: `d${i}`, state })),
  }) as unknown as EnvironmentDetail;

const failedLive: Done = {
  type: 'operation.done',
  operationId: 'op-1',
  environmentId: 'env-1',
  kind: 'deploy',
  outcome: 'failed',
  error: { code: 'conflict', message: 'namespace "x" belongs to someone else' },
};
const base = { operationId: 'op-1', environmentId: 'env-1', kind: 'deploy' as const, recordError: undefined };

describe('the Deploy page: how its operation ended', () => {
  it('takes the live event when it came', () => {
    const view = operationView({
      ...base,
      live: failedLive,
      record: record({ id: 'op-1', kind: 'deploy', outcome: 'failed' }, ['planned']),
    });
    assert.equal(view.done, failedLive);
    assert.equal(view.neverCreated, true);
  });

  it('reads the record when the operation ended before the page listened (no event will come)', () => {
    const view = operationView({
      ...base,
      live: undefined,
      record: record({ id: 'op-1', kind: 'deploy', outcome: 'failed', message: 'namespace "x" belongs to someone else' }, ['planned']),
    });
    assert.equal(view.done?.outcome, 'failed');
    assert.equal(view.done?.error?.message, 'namespace "x" belongs to someone else');
    assert.equal(view.neverCreated, true);
    assert.equal(view.undecided, false);
  });

  it('does not decide "nothing was created" from a record fetched while the deploy still ran', () => {
    const view = operationView({
      ...base,
      live: failedLive,
      record: record({ id: 'op-1', kind: 'deploy', outcome: 'running' }, ['planned']),
    });
    assert.equal(view.neverCreated, false);
    assert.equal(view.undecided, true);
  });

  it('a failed deploy that applied something has an environment to open', () => {
    const view = operationView({
      ...base,
      live: failedLive,
      record: record({ id: 'op-1', kind: 'deploy', outcome: 'failed' }, ['applied', 'planned']),
    });
    assert.equal(view.neverCreated, false);
    assert.equal(view.undecided, false);
  });

  it("is still running while the record's last operation is another one or runs", () => {
    assert.equal(
      operationView({ ...base, live: undefined, record: record({ id: 'op-0', kind: 'deploy', outcome: 'succeeded' }, []) }).done,
      undefined,
    );
    assert.equal(
      operationView({ ...base, live: undefined, record: record({ id: 'op-1', kind: 'deploy', outcome: 'running' }, []) }).done,
      undefined,
    );
  });

  it('an operation interrupted by the app stopping did not succeed', () => {
    const view = operationView({
      ...base,
      live: undefined,
      record: record({ id: 'op-1', kind: 'update', outcome: 'interrupted' }, ['applied']),
    });
    assert.equal(view.done?.outcome, 'failed');
    assert.equal(view.done?.kind, 'update');
  });

  it('a delete whose record is gone before the page listened succeeded; a missing record says nothing for a deploy', () => {
    const deleted = operationView({ ...base, kind: 'delete', live: undefined, record: undefined, recordError: 'not_found' });
    assert.equal(deleted.done?.outcome, 'succeeded');
    assert.equal(deleted.done?.kind, 'delete');
    assert.equal(operationView({ ...base, live: undefined, record: undefined, recordError: 'not_found' }).done, undefined);
  });
});
