/**
 * The site profile's requiredGroups, enforced: a deploy, update or resume is
 * refused before any request when the signed-in user is in none of them (the
 * message names the groups), through `afp` and through the app's own path.
 * On the bed's IdP alice is in af-users and bob in no group.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RequestInput, RequestName, RequestOutput } from '../../../main/api';
import { createApp } from '../../../main/app';
import { AfpError } from '../../../main/errors';
import { createLogger } from '../../../main/log';
import { previewHost } from '../../../main/app/preview-host';
import { Inventory } from '../../../main/inventory/inventory';
import { afp } from '../../support/afp';
import { kubectl, testbedEnv, waitUntil } from '../../support/testbed';
import { bedIdp, signedIn } from '../auth/support';
import { envName } from './support';

const REFUSED = /bob is not in the group "af-users", which .* needs \(you are in no group\)\. Ask your site to add you\./;

let dir: string;
let configDir: string;
let profileFile: string;
const previous = { config: process.env.AFP_CONFIG_DIR, profile: process.env.AFP_PROFILE };

async function signIn(user: 'alice' | 'bob'): Promise<void> {
  const idp = bedIdp();
  const session = await signedIn(idp.settings, idp.user(user), idp.caPem, { vaultDir: configDir });
  session.session.dispose();
}

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'afp-site-groups-'));
  configDir = path.join(dir, 'config');
  mkdirSync(configDir);
  process.env.AFP_CONFIG_DIR = configDir;
  delete process.env.AFP_PROFILE;
  const idp = bedIdp();
  profileFile = path.join(dir, 'site.yaml');
  writeFileSync(
    profileFile,
    [
      'apiVersion: afp.dev/v1',
      'kind: SiteProfile',
      'site: { name: Groups Site, logo: "data:image/png;base64,iVBORw0KGgo=" }',
      `auth: { issuer: "${idp.settings.issuer}", clientId: ${idp.settings.clientId}, requiredGroups: [af-users] }`,
      '',
    ].join('\n'),
  );
});
after(() => {
  for (const [key, value] of [
    ['AFP_CONFIG_DIR', previous.config],
    ['AFP_PROFILE', previous.profile],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  rmSync(dir, { recursive: true, force: true });
});

async function namespaceExists(name: string): Promise<boolean> {
  return (await kubectl(['get', 'namespace', name])).code === 0;
}

describe("the site's required groups", () => {
  test('afp deploy, update and resume refuse bob before any request, naming the group; alice deploys', { timeout: 180_000 }, async (t) => {
    const name = envName(t, 'groups-cli');
    const refusedName = `${name}-bob`;
    t.after(async () => {
      for (const ns of [name, refusedName]) await kubectl(['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']);
    });
    const kube = ['--kubeconfig', testbedEnv().adminKubeconfig];
    const small = ['--set', 'workers=1', '--set', 'workerCpu=250m', '--set', 'workerMemory=512Mi'];

    await signIn('alice');
    const deployed = await afp(['deploy', 'dask', '--profile', profileFile, ...small, ...kube, '--name', name]);
    assert.equal(deployed.code, 0, deployed.stderr);

    await signIn('bob');
    const refused = await afp(['deploy', 'dask', '--profile', profileFile, ...small, ...kube, '--name', refusedName]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, REFUSED);
    assert.equal(await namespaceExists(refusedName), false, 'nothing was sent');
    assert.equal(Inventory.open(configDir).get(refusedName), undefined, 'nothing was recorded');

    const operations = Inventory.open(configDir).get(name)?.operations.length;
    const update = await afp(['update', name, '--profile', profileFile, '--set', 'workers=2']);
    assert.equal(update.code, 1);
    assert.match(update.stderr, REFUSED);
    const resume = await afp(['resume', name, '--profile', profileFile]);
    assert.equal(resume.code, 1);
    assert.match(resume.stderr, REFUSED);
    assert.equal(Inventory.open(configDir).get(name)?.operations.length, operations, 'no operation was started');
  });

  test('the app refuses bob the same way (environments.deploy, .update, .resume)', { timeout: 120_000 }, async (t) => {
    const name = envName(t, 'groups-app');
    await signIn('alice');
    const aliceDeployed = await afp([
      'deploy',
      'dask',
      '--profile',
      profileFile,
      '--set',
      'workers=1',
      '--kubeconfig',
      testbedEnv().adminKubeconfig,
      '--name',
      name,
    ]);
    t.after(async () => {
      for (const ns of [name, `${name}-bob`]) await kubectl(['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']);
    });
    assert.equal(aliceDeployed.code, 0, aliceDeployed.stderr);
    await signIn('bob');
    const app = createApp({
      host: previewHost(configDir, () => Promise.resolve(false)),
      profileSources: { cli: profileFile },
      log: createLogger(() => undefined),
    });
    t.after(() => app.dispose());
    const request = async <K extends RequestName>(what: K, input: RequestInput<K>): Promise<RequestOutput<K>> => {
      const result = await app.dispatch(what, input, { via: 'test' });
      if (!result.ok) throw new AfpError(result.error.code, result.error.message, result.error);
      return result.value as RequestOutput<K>;
    };
    await waitUntil('bob restored from the vault', async () => (await request('auth.status', {})).state === 'signed-in', 15_000, 100);
    const id = Inventory.open(configDir).get(name)?.id ?? '';
    const refusedName = `${name}-bob`;
    await assert.rejects(
      request('environments.deploy', {
        plan: { template: 'dask', name: refusedName, values: { workers: 1 }, target: 'kube' },
        target: { kind: 'kube', kubeconfig: testbedEnv().adminKubeconfig },
      }),
      (error: unknown) => error instanceof AfpError && error.code === 'forbidden' && REFUSED.test(error.message),
    );
    assert.equal(await namespaceExists(refusedName), false, 'nothing was sent');
    await assert.rejects(request('environments.update', { id, values: { workers: 2 } }), REFUSED);
    await assert.rejects(request('environments.resume', { id }), REFUSED);
    assert.equal((await request('environments.get', { id })).operations.length, 1, 'no operation was started');
  });
});
