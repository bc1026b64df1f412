import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deletedObject, driftText, objectDrift } from '../../../main/tracking/drift';

const manifest = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'w', namespace: 'ns' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { a: 'b' } },
    template: {
      metadata: { labels: { a: 'b' } },
      spec: { containers: [{ name: 'c', image: 'busybox:1', ports: [{ containerPort: 80 }] }] },
    },
  },
};

/** managedFields as the test bed's API server wrote them after `kubectl scale --replicas 3` and `kubectl set image c=busybox:2`. */
function live(replicas: number, image: string, extra: object[] = []): Record<string, unknown> {
  return {
    ...manifest,
    metadata: {
      name: 'w',
      namespace: 'ns',
      managedFields: [
        {
          manager: 'afp',
          operation: 'Apply',
          fieldsV1: {
            'f:spec': { 'f:selector': {}, 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:name': {} } } } } },
          },
        },
        { manager: 'kubectl', operation: 'Update', subresource: 'scale', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          subresource: 'status',
          fieldsV1: { 'f:status': { 'f:replicas': {} }, 'f:metadata': { 'f:annotations': { 'f:deployment.kubernetes.io/revision': {} } } },
        },
        {
          manager: 'kubectl-set',
          operation: 'Update',
          fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"c"}': { 'f:image': {} } } } } } },
        },
        ...extra,
      ],
    },
    spec: {
      ...manifest.spec,
      replicas,
      template: {
        ...manifest.spec.template,
        spec: { containers: [{ name: 'c', image, ports: [{ containerPort: 80, protocol: 'TCP' }] }] },
      },
    },
    status: { replicas },
  };
}

describe('drift from managed fields', () => {
  it('names the field, the expected and found values and the manager that changed it', () => {
    const drift = objectDrift(manifest, live(3, 'busybox:2'));
    assert.deepEqual(drift, [
      { kind: 'Deployment', name: 'w', field: 'spec.replicas', expected: '1', found: '3', manager: 'kubectl' },
      {
        kind: 'Deployment',
        name: 'w',
        field: 'spec.template.spec.containers[c].image',
        expected: 'busybox:1',
        found: 'busybox:2',
        manager: 'kubectl-set',
      },
    ]);
    assert.equal(driftText(drift[0]!), 'Deployment w: spec.replicas is 3, expected 1 (changed by kubectl)');
  });

  it('a field someone else set back to the planned value is no drift', () => {
    assert.deepEqual(objectDrift(manifest, live(1, 'busybox:1')), []);
  });

  it("the cluster's own controllers (an HPA scaling through kube-controller-manager) and status are not drift", () => {
    const hpa = {
      manager: 'kube-controller-manager',
      operation: 'Update',
      subresource: 'scale',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    };
    const scaledByHpa = live(5, 'busybox:1');
    const fields = (scaledByHpa.metadata as { managedFields: object[] }).managedFields;
    fields.splice(1, 1, hpa);
    assert.deepEqual(objectDrift(manifest, scaledByHpa), []);
  });

  it('fields the plan never set (added by another tool) are not drift', () => {
    const annotated = live(1, 'busybox:1', [
      { manager: 'kubectl-annotate', operation: 'Update', fieldsV1: { 'f:metadata': { 'f:annotations': { 'f:note': {} } } } },
    ]);
    assert.deepEqual(objectDrift(manifest, annotated), []);
  });

  it("a Secret's changed key is named without either value", () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: '(hidden)' } };
    const found = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 's',
        managedFields: [{ manager: 'kubectl-edit', operation: 'Update', fieldsV1: { 'f:data': { 'f:password': {} } } }],
      },
    };
    assert.deepEqual(objectDrift(secret, found), [
      { kind: 'Secret', name: 's', field: 'data.password', expected: '(hidden)', found: '(hidden), changed', manager: 'kubectl-edit' },
    ]);
  });

  it('a deleted object says so', () => {
    assert.equal(driftText(deletedObject({ kind: 'Service', metadata: { name: 'hub' } })), 'Service hub was deleted outside the app');
  });
});
