/**
 * A physicist whose kubeconfig may only see some kinds in their own namespace
 * (a Role, no cluster-wide rights, no StatefulSets, no nodes): what they may
 * see is tracked, and the kinds they may not see never hold the environment
 * at "not listed yet".
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTracking } from '../../../main/tracking/index';
import { kubectlOk, testbedEnv } from '../../support/testbed';
import { environmentNamespace, kubeRecordFor, slug, tempInventory, untilView, workload } from './support';

function role(namespace: string): string {
  const user = 'physicist';
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: user, namespace } },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: user, namespace },
        rules: [
          { apiGroups: [''], resources: ['pods', 'services', 'events'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: user, namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: user },
        subjects: [{ kind: 'ServiceAccount', name: user, namespace }],
      },
    ],
  });
}

describe('tracking with rights in one namespace only', { timeout: 120_000 }, () => {
  it('shows the pods and turns Ready though StatefulSets, Ingresses, namespaces and nodes are not visible', async (t) => {
    const name = slug(t, 'limited');
    await environmentNamespace(t, name);
    await kubectlOk(['apply', '-f', '-'], { input: role(name) });
    await kubectlOk(['apply', '-n', name, '-f', '-'], { input: workload('web', { replicas: 2 }) });
    const token = (await kubectlOk(['create', 'token', 'physicist', '-n', name, '--duration=10m'])).trim();
    const env = testbedEnv();
    const inventory = tempInventory(t);
    const kubeconfig = path.join(path.dirname(inventory.path), 'physicist.kubeconfig');
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'bed', cluster: { server: env.apiServerUrl, 'certificate-authority': env.caPath } }],
        users: [{ name: 'physicist', user: { token } }],
        contexts: [{ name: 'afp-testbed', context: { cluster: 'bed', user: 'physicist', namespace: name } }],
        'current-context': 'afp-testbed',
      }),
    );
    const record = inventory.create(kubeRecordFor(name, {}, kubeconfig));
    const tracking = createTracking({ inventory });
    t.after(() => tracking.dispose());
    tracking.tracker.start();
    await untilView(
      tracking.tracker,
      record.id,
      'Ready with both pods',
      (v) => v.status.phase === 'Ready' && v.pods.filter((p) => p.ready).length === 2,
      60_000,
    );
    assert.deepEqual(
      tracking.tracker.view(record.id)?.workloads.map((w) => w.name),
      ['web'],
    );
  });
});
