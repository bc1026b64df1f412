import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deletionLosses, lossText } from '../../../main/app/deletion-losses';
import { kubeRecord } from '../tracking/records';

const claim = (name: string, component: string, storage: string): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, labels: { 'app.kubernetes.io/component': component } },
  spec: { resources: { requests: { storage } } },
});

describe('what Delete destroys, from the recorded plan', () => {
  it("names the namespace, MinIO's buckets, other volumes and every user's home volume", () => {
    const record = kubeRecord({
      values: { userStorage: '10Gi' },
      manifests: [claim('minio-export', 'minio', '20Gi'), claim('hub-db-dir', 'hub', '1Gi')],
    });
    assert.deepEqual(deletionLosses(record).map(lossText), [
      'namespace afp-demo and everything in it',
      'every MinIO bucket and object (volume minio-export, 20Gi)',
      'volume hub-db-dir (hub, 1Gi)',
      "every JupyterHub user's home volume (claim-<user>, 10Gi each)",
    ]);
  });

  it('a record without a plan still names its claims', () => {
    const record = kubeRecord({
      objects: [{ apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: 'data', state: 'applied' }],
    });
    assert.deepEqual(deletionLosses(record).map(lossText), ['namespace afp-demo and everything in it', 'volume data']);
  });
});
