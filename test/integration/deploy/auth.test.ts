import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { kubectl, kubectlOk, withNamespace } from '../../support/testbed';
import { envName, kubeconfigWith, operationsFor } from './support';

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-auth-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A service account and a token for it (10 minutes). */
async function serviceAccountToken(namespace: string, account: string): Promise<string> {
  await kubectlOk(['create', 'serviceaccount', account, '-n', namespace]);
  return (await kubectlOk(['create', 'token', account, '-n', namespace, '--duration', '10m'])).trim();
}

describe('credentials', () => {
  test('a user without rights gets the RBAC message, naming the object, and the record says what failed', async (t) => {
    const home = await withNamespace(t, 'rbac');
    const token = await serviceAccountToken(home, 'limited');
    const kubeconfig = kubeconfigWith(tempDir(t), 'limited', { token });
    const name = envName(t, 'norights');
    const { operations, inventory } = operationsFor(t, [name]);
    const handle = await operations.deploy({ template: 'lab-dask', name, kubeconfig });
    const result = await handle.done;
    assert.equal(result.outcome, 'failed');
    assert.equal(result.error?.code, 'forbidden');
    assert.match(
      result.error?.message ?? '',
      new RegExp(
        `^Namespace ${name}: Not allowed by the cluster's RBAC \\(context "limited"\\): namespaces "${name}" is forbidden: User "system:serviceaccount:${home}:limited" cannot (patch|create) resource "namespaces"`,
      ),
    );
    const record = inventory.get(name);
    assert.equal(record?.status.phase, 'Failed');
    assert.equal(record?.objects[0]?.state, 'failed');
    assert.equal(record?.objects[0]?.message, result.error?.message);
    assert.ok(
      record?.objects.slice(1).every((o) => o.state === 'planned'),
      'nothing after the namespace was sent',
    );
  });

  test('an exec-plugin kubeconfig authenticates: the plugin is run and its token is used', async (t) => {
    const home = await withNamespace(t, 'exec');
    const token = await serviceAccountToken(home, 'deployer');
    const binding = `afp-exec-${home}`;
    await kubectlOk(['create', 'clusterrolebinding', binding, '--clusterrole=cluster-admin', `--serviceaccount=${home}:deployer`]);
    t.after(async () => {
      await kubectl(['delete', 'clusterrolebinding', binding, '--ignore-not-found']);
    });
    const dir = tempDir(t);
    const calls = path.join(dir, 'calls');
    const plugin = path.join(dir, 'token-plugin');
    const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token } });
    writeFileSync(plugin, `#!/bin/sh\necho called >> '${calls}'\ncat <<'JSON'\n${credential}\nJSON\n`);
    chmodSync(plugin, 0o755);
    const kubeconfig = kubeconfigWith(dir, 'exec-user', {
      exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' },
    });

    const name = envName(t, 'execauth');
    const { operations } = operationsFor(t, [name]);
    const handle = await operations.deploy({ template: 'lab-dask', name, kubeconfig, waitForReadyMs: 60_000 });
    const result = await handle.done;
    assert.equal(result.outcome, 'succeeded', JSON.stringify(result.error));
    assert.ok(readFileSync(calls, 'utf8').split('\n').filter(Boolean).length >= 1, 'the exec plugin was run');
    const managers = await kubectlOk(['get', 'deployment', 'worker', '-n', name, '-o', 'jsonpath={.metadata.managedFields[*].manager}']);
    assert.match(managers, /\bafp\b/);
  });

  test('an exec plugin that is not installed is named, with what to install', async (t) => {
    const kubeconfig = kubeconfigWith(tempDir(t), 'oidc', {
      exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'kubectl-oidc_login', args: ['get-token'], interactiveMode: 'Never' },
    });
    const name = envName(t, 'noplugin');
    const { operations } = operationsFor(t, [name]);
    const result = await (await operations.deploy({ template: 'lab-dask', name, kubeconfig })).done;
    assert.equal(result.outcome, 'failed');
    assert.equal(result.error?.code, 'unauthorized');
    assert.match(result.error?.message ?? '', /credential plugin "kubectl-oidc_login" was not found.*Install kubelogin/);
  });
});
