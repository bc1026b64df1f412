/**
 * IM's Kubernetes connector takes environment variables as literal text and
 * files as content (IM/connectors/Kubernetes.py: no valueFrom, no reference to
 * a Secret), so a generated password sent through IM lands in the TOSCA
 * document IM keeps in its database. Review must say so before deploy: the
 * plan view names every generated secret IM would keep, for IM and the
 * dispatcher, and none for a kubeconfig deploy (the values stay in Secrets).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createApp } from '../../../main/app';
import { createLogger } from '../../../main/log';
import { testHost } from '../../support/host';

describe('generated secrets that IM would keep', () => {
  it('are named in the plan Review shows for IM and the dispatcher, not for a kubeconfig', async () => {
    const app = createApp({ host: testHost(), log: createLogger(() => undefined) });
    try {
      const kept = async (target: 'kube' | 'im' | 'dispatcher'): Promise<unknown> => {
        const answer = await app.dispatch('plan.render', { template: 'minio', values: {}, name: 'lab', target }, { via: 'test' });
        assert.ok(answer.ok, JSON.stringify(answer));
        const view = answer.value as { valid: boolean; capability?: { secretsKeptByIm?: unknown } };
        assert.ok(view.valid);
        return view.capability?.secretsKeptByIm;
      };
      assert.deepEqual(await kept('im'), ['minio-root/password', 'minio-root/user']);
      assert.deepEqual(await kept('dispatcher'), ['minio-root/password', 'minio-root/user']);
      assert.deepEqual(await kept('kube'), []);
    } finally {
      await app.dispose();
    }
  });
});
