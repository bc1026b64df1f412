import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kubectlJson, kubectlOk, withNamespace } from '../../support/testbed';
import { apply, realNodes, realPod, skipWithoutRealNodes, waitReady } from './real-node';

interface Claim {
  status: { phase?: string };
  spec: { volumeName?: string; storageClassName?: string };
}

describe('real container node: persistent volumes', { skip: skipWithoutRealNodes(), timeout: 180_000 }, () => {
  test('a PVC binds, a non-root pod writes a file on it, and the next pod reads it back', async (t) => {
    const real = realNodes();
    const ns = await withNamespace(t, 'real-pvc');
    const volume = { name: 'data', persistentVolumeClaim: { claimName: 'data' } };
    const asUser = { runAsUser: 1000, runAsGroup: 1000 };
    await apply(
      ns,
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data' },
        spec: { storageClassName: real.storageClass, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Mi' } } },
      },
      realPod({
        name: 'writer',
        command: ['sh', '-c', 'echo "written by $(id -u)" > /data/note && sleep 3600'],
        readinessProbe: { exec: { command: ['test', '-s', '/data/note'] }, periodSeconds: 1 },
        volumes: [volume],
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
        securityContext: asUser,
      }),
    );
    await waitReady(ns, 'writer');
    const claim = await kubectlJson<Claim>(['get', 'pvc', 'data', '-n', ns]);
    assert.equal(claim.status.phase, 'Bound');
    assert.equal(claim.spec.storageClassName, real.storageClass);

    await kubectlOk(['delete', 'pod', 'writer', '-n', ns, '--wait=true', '--timeout=60s']);
    await apply(
      ns,
      realPod({
        name: 'reader',
        command: ['sleep', '3600'],
        volumes: [volume],
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
        securityContext: asUser,
      }),
    );
    await waitReady(ns, 'reader');
    assert.equal(await kubectlOk(['exec', '-n', ns, 'reader', '--', 'cat', '/data/note']), 'written by 1000\n');
  });
});
