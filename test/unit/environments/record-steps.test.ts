import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadCatalogue } from '../../../main/catalogue/catalogue';
import { finishOperation, newRecord, operationRecord, planned, startOperation, waveDone } from '../../../main/environments/record-steps';
import { renderPlan } from '../../../main/render/plan';
import type { Plan } from '../../../main/render/types';
import { environmentRecordSchema, type EnvironmentRecord } from '../../../main/inventory/record';

const AT = '2026-01-02T03:04:05.000Z';
const LATER = '2026-01-02T03:05:00.000Z';
const target = { kind: 'kube' as const, context: 'lab', server: 'https://10.0.0.1:6443', namespace: 'demo' };

describe('the record an operation keeps', () => {
  let plan: Plan;
  let smaller: Plan;
  before(async () => {
    const template = (await loadCatalogue()).require('dask');
    plan = renderPlan({ template, values: { workers: 3 }, environment: { name: 'demo', id: 'env-1' } });
    smaller = renderPlan({ template, values: { workers: 1 }, environment: { name: 'demo', id: 'env-1' }, secrets: plan.generatedSecrets });
  });

  function fresh(): EnvironmentRecord {
    return newRecord({ id: 'env-1', plan, target, operation: operationRecord('op-1', 'deploy', AT), at: AT });
  }

  it('starts as Deploying with every object planned, its values and links, and no secret', () => {
    const record = fresh();
    assert.equal(environmentRecordSchema.safeParse(record).success, true);
    assert.equal(record.status.phase, 'Deploying');
    assert.deepEqual(record.operations, [{ id: 'op-1', kind: 'deploy', startedAt: AT, outcome: 'running' }]);
    assert.equal(record.objects.length, plan.objects.length);
    assert.ok(record.objects.every((o) => o.state === 'planned'));
    assert.equal(record.values.workers, 3);
    assert.deepEqual(record.links.map((l) => l.id).sort(), plan.links.map((l) => l.id).sort());
    const text = JSON.stringify(record);
    for (const secret of Object.values(plan.generatedSecrets)) assert.ok(!text.includes(secret), 'no generated secret in the record');
  });

  it('through IM, says where IM keeps each credential (node and variable or file), never a value; a cluster needs none', async () => {
    const template = (await loadCatalogue()).require('analysis-facility');
    const im = renderPlan({
      template,
      values: { hubUsers: 'bob' },
      environment: { name: 'af', id: 'env-2' },
      target: 'im',
      owner: 'alice',
    });
    const imTarget = { kind: 'im' as const, imUrl: 'https://im.example.org' };
    const record = newRecord({ id: 'env-2', plan: im, target: imTarget, operation: operationRecord('op-1', 'deploy', AT), at: AT });
    assert.equal(environmentRecordSchema.safeParse(record).success, true);
    const at = Object.fromEntries((record.credentials ?? []).map((c) => [c.title, c.tosca]));
    assert.deepEqual(at['JupyterLab token (bob)'], { secret: { node: 'lab-bob', variable: 'JUPYTER_TOKEN' } });
    assert.deepEqual(at['MinIO keys (bob)'], { secret: { node: 'lab-bob', variable: 'MINIO_SECRET_KEY' } });
    assert.deepEqual(at['MinIO console and API (root)'], {
      secret: { node: 'minio', variable: 'MINIO_ROOT_PASSWORD' },
      username: { node: 'minio', variable: 'MINIO_ROOT_USER' },
    });
    const text = JSON.stringify(record);
    for (const secret of Object.values(im.secretValues)) assert.ok(!text.includes(secret), 'no secret value in the record');
    assert.ok(
      (fresh().credentials ?? []).every((c) => c.tosca === undefined),
      'the kube target reads Secrets instead',
    );
  });

  it('after a wave, says which of its objects were applied or failed, and why', () => {
    const record = fresh();
    const [namespace] = plan.objects;
    waveDone(
      record,
      [{ apiVersion: 'v1', kind: 'Namespace', name: namespace?.metadata.name ?? '', state: 'applied' }],
      'Wave 1/4: 1/1 applied',
    );
    assert.equal(record.objects[0]?.state, 'applied');
    assert.ok(record.objects.slice(1).every((o) => o.state === 'planned'));
    assert.equal(record.status.message, 'Wave 1/4: 1/1 applied');
  });

  it('an update keeps what was applied as applied until it is applied again', () => {
    const record = fresh();
    finishOperation(record, {
      operationId: 'op-1',
      outcome: 'succeeded',
      at: LATER,
      objects: plan.objects.map((o) => ({
        apiVersion: o.apiVersion,
        kind: o.kind,
        name: o.metadata.name,
        ...(o.metadata.namespace === undefined ? {} : { namespace: o.metadata.namespace }),
        state: 'applied' as const,
      })),
    });
    startOperation(record, operationRecord('op-2', 'update', LATER, { workers: 1 }));
    planned(record, smaller);
    assert.equal(record.values.workers, 1);
    assert.ok(record.objects.every((o) => o.state === 'applied'));
    assert.equal(record.operations.at(-1)?.values?.workers, 1);
  });

  it('ends in a phase that says how it went', () => {
    const cases: [Parameters<typeof finishOperation>[1], string, string | undefined][] = [
      [
        { operationId: 'op-1', outcome: 'succeeded', at: LATER, readiness: { ready: true, text: 'all 2 workloads ready' } },
        'Ready',
        'all 2 workloads ready',
      ],
      [{ operationId: 'op-1', outcome: 'succeeded', at: LATER }, 'Deploying', 'Every object applied; waiting for the pods.'],
      [
        { operationId: 'op-1', outcome: 'failed', at: LATER, error: { code: 'forbidden', message: 'Namespace demo: Not allowed' } },
        'Failed',
        'Namespace demo: Not allowed',
      ],
      [
        {
          operationId: 'op-1',
          outcome: 'cancelled',
          at: LATER,
          error: { code: 'cancelled', message: 'Cancelled: 1 of 5 objects were applied' },
        },
        'Cancelled',
        'Cancelled: 1 of 5 objects were applied',
      ],
    ];
    for (const [finish, phase, message] of cases) {
      const record = fresh();
      finishOperation(record, finish);
      assert.equal(record.status.phase, phase);
      assert.equal(record.status.message, message);
      assert.equal(record.operations[0]?.outcome, finish.outcome);
      assert.equal(record.operations[0]?.finishedAt, LATER);
      assert.equal(environmentRecordSchema.safeParse(record).success, true);
    }
  });

  it('a delete that did not wait stays Deleting; one confirmed gone is Deleted', () => {
    const record = fresh();
    startOperation(record, operationRecord('op-d', 'delete', LATER));
    assert.equal(record.status.phase, 'Deleting');
    finishOperation(record, { operationId: 'op-d', outcome: 'succeeded', at: LATER, deleting: true });
    assert.equal(record.status.phase, 'Deleting');
    finishOperation(record, { operationId: 'op-d', outcome: 'succeeded', at: LATER });
    assert.equal(record.status.phase, 'Deleted');
  });
});
