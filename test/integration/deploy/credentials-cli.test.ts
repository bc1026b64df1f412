/**
 * `afp credentials`: after deploying the analysis facility with the bed's
 * admin kubeconfig (no sign-in), the owner's hub login and MinIO's keys are
 * printed as the cluster's Secrets hold them, and the owner is the
 * kubeconfig's user, kept in the record: an update renders the same owner.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { afp } from '../../support/afp';
import { kubectl, kubectlJson, testbedEnv } from '../../support/testbed';
import { envName } from './support';

async function secretValue(namespace: string, name: string, key: string): Promise<string> {
  const secret = await kubectlJson<{ data: Record<string, string> }>(['get', 'secret', name, '-n', namespace, '-o', 'json']);
  return Buffer.from(secret.data[key] ?? '', 'base64').toString('utf8');
}

describe('afp credentials', () => {
  let config: string;
  const previous = process.env.AFP_CONFIG_DIR;
  before(() => {
    config = mkdtempSync(path.join(os.tmpdir(), 'afp-cli-credentials-'));
    process.env.AFP_CONFIG_DIR = config;
  });
  after(() => {
    if (previous === undefined) delete process.env.AFP_CONFIG_DIR;
    else process.env.AFP_CONFIG_DIR = previous;
    rmSync(config, { recursive: true, force: true });
  });

  test('prints the Secrets’ values on stdout, as text and JSON, and stores none of them', async (t) => {
    const name = envName(t, 'creds');
    t.after(async () => {
      await kubectl(['delete', 'namespace', name, '--wait=false', '--ignore-not-found']);
    });
    const kubeconfig = testbedEnv().adminKubeconfig;
    const deployed = await afp(['deploy', 'analysis-facility', '--kubeconfig', kubeconfig, '--name', name]);
    assert.equal(deployed.code, 0, deployed.stderr);

    const hubPassword = await secretValue(name, 'hub', 'password');
    const minioUser = await secretValue(name, 'minio-root', 'user');
    const minioPassword = await secretValue(name, 'minio-root', 'password');
    assert.ok(hubPassword.length >= 16 && minioPassword.length >= 16);

    const json = await afp(['credentials', name, '--json']);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(json.stderr, '');
    const view = JSON.parse(json.stdout) as { credentials: { component: string; username?: string; secret: string }[] };
    const hub = view.credentials.find((c) => c.component === 'hub');
    const minio = view.credentials.find((c) => c.component === 'minio');
    assert.equal(hub?.secret, hubPassword);
    assert.deepEqual([minio?.username, minio?.secret], [minioUser, minioPassword]);

    // The owner is the kubeconfig's user, as the hub's config names its admin.
    const kubeUser = (
      await kubectl(['config', 'view', '--kubeconfig', kubeconfig, '--minify', '-o', 'jsonpath={.contexts[0].context.user}'])
    ).stdout.trim();
    assert.equal(hub?.username, kubeUser);

    const text = await afp(['credentials', name]);
    assert.equal(text.code, 0, text.stderr);
    assert.ok(text.stdout.includes(`password:  ${hubPassword}`) && text.stdout.includes(`user name: ${minioUser}`), text.stdout);

    const stored = readdirSync(config, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'latin1'))
      .join('\n');
    assert.ok(stored.includes(name), 'the inventory is searched');
    for (const secret of [hubPassword, minioPassword]) assert.ok(!stored.includes(secret), 'no credential in the config folder');
    assert.ok(stored.includes(`"owner": "${kubeUser}"`) || stored.includes(`"owner":"${kubeUser}"`), 'the owner is kept in the record');

    // An update renders the same owner, whoever runs it: the hub's login stays the deployer's.
    const updated = await afp(['update', name, '--set', 'users=3']);
    assert.equal(updated.code, 0, updated.stderr);
    const again = JSON.parse((await afp(['credentials', name, '--json'])).stdout) as typeof view;
    assert.equal(again.credentials.find((c) => c.component === 'hub')?.username, kubeUser);
    const files = await kubectlJson<{ data: Record<string, string> }>(['get', 'configmap', 'hub-files', '-n', name, '-o', 'json']);
    assert.ok(JSON.stringify(files.data).includes(kubeUser), 'the hub config names the owner');

    // A Secret deleted outside the app: the error names it and holds none of the other values.
    await kubectl(['delete', 'secret', 'minio-root', '-n', name]);
    const missing = await afp(['credentials', name]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, new RegExp(`Secret ${name}/minio-root`));
    assert.equal(missing.stdout, '');
    assert.ok(!missing.stderr.includes(hubPassword));

    const unknown = await afp(['credentials', `${name}-nope`]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No environment named/);
  });
});
