import assert from 'node:assert/strict';
import { ApiException } from '@kubernetes/client-node';
import { describe, it } from 'node:test';
import { conflictsOf, conflictText } from '../../../../main/targets/kube/conflicts';
import { parseGroupKinds, selectPrune, unionKinds } from '../../../../main/targets/kube/prune';

const planned = (apiVersion: string, kind: string, name: string, namespace = 'demo') => ({
  apiVersion,
  kind,
  metadata: { name, namespace },
});

describe('prune selection (ApplySet)', () => {
  it('selects members on the server that the new plan does not hold, by group, kind, namespace and name', () => {
    const listed = [
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker', namespace: 'demo' },
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'extra', namespace: 'demo' },
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'extra-files', namespace: 'demo' },
      { apiVersion: 'v1', kind: 'Service', name: 'worker', namespace: 'demo' },
    ];
    const plan = [planned('apps/v1', 'Deployment', 'worker'), planned('v1', 'Service', 'worker')];
    assert.deepEqual(
      selectPrune(listed, plan).map((o) => `${o.kind}/${o.name}`),
      ['Deployment/extra', 'ConfigMap/extra-files'],
    );
  });

  it('matches by group, not version: a member listed under another version of its group is kept', () => {
    const listed = [{ apiVersion: 'networking.k8s.io/v1beta1', kind: 'Ingress', name: 'web', namespace: 'demo' }];
    assert.deepEqual(selectPrune(listed, [planned('networking.k8s.io/v1', 'Ingress', 'web')]), []);
  });

  it('never prunes a namespace: that would delete the whole environment', () => {
    assert.deepEqual(selectPrune([{ apiVersion: 'v1', kind: 'Namespace', name: 'old' }], []), []);
  });

  it('the parent names the union of old and new kinds until pruning is done', () => {
    assert.deepEqual(parseGroupKinds(' Deployment.apps,ConfigMap ,,Secret'), ['Deployment.apps', 'ConfigMap', 'Secret']);
    assert.deepEqual(parseGroupKinds(undefined), []);
    assert.deepEqual(unionKinds(['Secret', 'Ingress.networking.k8s.io'], ['Deployment.apps', 'Secret']), [
      'Deployment.apps',
      'Ingress.networking.k8s.io',
      'Secret',
    ]);
  });
});

describe('field-manager conflicts', () => {
  const body = {
    kind: 'Status',
    status: 'Failure',
    message:
      'Apply failed with 2 conflicts: conflict with "kubectl-scale" using apps/v1: .spec.replicas; conflict with "kubectl-edit" using apps/v1: .spec.template.spec.containers[name="worker"].image',
    reason: 'Conflict',
    details: {
      causes: [
        { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-scale" using apps/v1', field: '.spec.replicas' },
        {
          reason: 'FieldManagerConflict',
          message: 'conflict with "kubectl-edit" using apps/v1',
          field: '.spec.template.spec.containers[name="worker"].image',
        },
      ],
    },
    code: 409,
  };

  it('names each field and the manager that owns it, from the Status causes', () => {
    const conflicts = conflictsOf(new ApiException(409, body.message, body, {}));
    assert.deepEqual(conflicts, [
      { field: '.spec.replicas', manager: 'kubectl-scale' },
      { field: '.spec.template.spec.containers[name="worker"].image', manager: 'kubectl-edit' },
    ]);
    assert.equal(
      conflictText('Deployment worker', conflicts),
      'Deployment worker: .spec.replicas is managed by "kubectl-scale"; .spec.template.spec.containers[name="worker"].image is managed by "kubectl-edit" — changed outside AF Provisioner. Apply again with "force conflicts" to take them over.',
    );
  });

  it('reads a Status given as text, and finds nothing in other errors', () => {
    assert.equal(conflictsOf(new ApiException(409, 'x', JSON.stringify(body), {})).length, 2);
    assert.deepEqual(conflictsOf(new ApiException(409, 'AlreadyExists', { reason: 'AlreadyExists' }, {})), []);
    assert.deepEqual(conflictsOf(new ApiException(422, 'x', body, {})), []);
    assert.deepEqual(conflictsOf(new Error('x')), []);
  });
});
