/**
 * The drift check against the test bed's API server, object kinds the CLI
 * test does not touch: an Ingress edited with kubectl and a Secret's key
 * replaced (read as metadata only, named without its values). No pods.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { DriftCheck } from '../../../main/tracking/drift-check';
import type { DriftItem } from '../../../main/tracking/drift';
import { kubeRecord } from '../../unit/tracking/records';
import { kubectl, testbedEnv, waitUntil, withNamespace } from '../../support/testbed';

async function applyAsAfp(manifest: object): Promise<void> {
  const result = await kubectl(['apply', '--server-side', '--field-manager=afp', '-f', '-'], { input: JSON.stringify(manifest) });
  assert.equal(result.code, 0, result.stderr);
}

describe('drift check on the test bed (no pods)', () => {
  test('an Ingress edited with kubectl and a Secret changed by kubectl are named with field and manager; the Secret without values', async (t) => {
    const ns = await withNamespace(t, 'drift');
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'hub', namespace: ns },
      spec: {
        rules: [
          {
            host: 'hub.example.org',
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'hub', port: { number: 80 } } } }] },
          },
        ],
      },
    };
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'keys', namespace: ns }, stringData: { password: 'generated-1' } };
    await applyAsAfp(ingress);
    await applyAsAfp(secret);
    const record = kubeRecord({
      operations: [{ id: 'op-1', kind: 'deploy', startedAt: new Date().toISOString(), outcome: 'succeeded' }],
      objects: [
        { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'hub', namespace: ns, state: 'applied' },
        { apiVersion: 'v1', kind: 'Secret', name: 'keys', namespace: ns, state: 'applied' },
      ],
      manifests: [ingress, { ...secret, stringData: { password: '(hidden)' } }],
    });
    const kc = new KubeConfig();
    kc.loadFromFile(testbedEnv().adminKubeconfig);
    let changes = 0;
    const check = new DriftCheck(kc, () => (changes += 1), { everyMs: 60_000, settleMs: 50 });
    t.after(() => check.dispose());
    const look = async (until: (items: DriftItem[]) => boolean): Promise<DriftItem[]> => {
      let items: DriftItem[] = [];
      await waitUntil('the drift check', async () => {
        check.soon(0);
        await new Promise((resolve) => setTimeout(resolve, 200));
        items = check.current(record);
        return check.ready(record) && until(items);
      });
      return items;
    };
    assert.deepEqual(await look(() => true), [], 'as applied: no drift');

    const patch = JSON.stringify([{ op: 'replace', path: '/spec/rules/0/host', value: 'elsewhere.example.org' }]);
    assert.equal((await kubectl(['patch', 'ingress', 'hub', '-n', ns, '--type', 'json', '-p', patch])).code, 0);
    assert.equal((await kubectl(['patch', 'secret', 'keys', '-n', ns, '-p', '{"stringData":{"password":"typed-by-hand"}}'])).code, 0);
    const items = await look((found) => found.length >= 2);
    const ingressDrift = items.find((i) => i.kind === 'Ingress');
    assert.equal(ingressDrift?.field, 'spec.rules', 'Ingress rules are an atomic list: the whole list changed hands');
    assert.equal(ingressDrift?.manager, 'kubectl-patch');
    assert.match(ingressDrift?.expected ?? '', /hub\.example\.org/);
    assert.match(ingressDrift?.found ?? '', /elsewhere\.example\.org/);
    assert.deepEqual(
      items.find((i) => i.kind === 'Secret'),
      { kind: 'Secret', name: 'keys', field: 'data.password', expected: '(hidden)', found: '(hidden), changed', manager: 'kubectl-patch' },
    );
    assert.doesNotMatch(JSON.stringify(items), /typed-by-hand|generated-1/, 'no Secret value is read or shown');
    assert.ok(changes > 0);
  });
});
