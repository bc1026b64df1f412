/**
 * A deploy that fails before anything is created (its namespace is taken by
 * someone else) shows "Deploy failed" with the reason in `afp status`, and
 * `afp forget` removes the record without touching the cluster. kwok nodes
 * (no pod is involved).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { afp } from '../../support/afp';
import { kubectl, kubectlOk, testbedEnv } from '../../support/testbed';
import { envName, FIXTURES } from '../deploy/support';

describe('a failed deploy, then afp forget (kwok nodes)', () => {
  let config: string;
  const previous = process.env.AFP_CONFIG_DIR;
  before(() => {
    config = mkdtempSync(path.join(os.tmpdir(), 'afp-forget-'));
    process.env.AFP_CONFIG_DIR = config;
  });
  after(() => {
    if (previous === undefined) delete process.env.AFP_CONFIG_DIR;
    else process.env.AFP_CONFIG_DIR = previous;
    rmSync(config, { recursive: true, force: true });
  });

  test('status says "Deploy failed" with the reason; forget drops the record and leaves the cluster alone', async (t) => {
    const name = envName(t, 'forget');
    t.after(async () => {
      await kubectl(['delete', 'namespace', name, '--wait=false', '--ignore-not-found']);
    });
    // Someone else's namespace of the same name: the deploy stops before it creates anything.
    await kubectlOk(['create', 'namespace', name]);
    const kubeconfig = testbedEnv().adminKubeconfig;
    const deployed = await afp(['deploy', 'lab-dask', '--templates', FIXTURES, '--kubeconfig', kubeconfig, '--name', name, '--wait']);
    assert.equal(deployed.code, 1, deployed.stderr);

    const status = await afp(['status', name]);
    assert.equal(status.code, 3);
    assert.match(
      status.stdout,
      new RegExp(
        `^status: Failed .*Deploy failed before anything was created: Namespace ${name} already exists and it was not created by AF Provisioner`,
        'm',
      ),
    );

    const unknown = await afp(['forget', 'no-such-environment']);
    assert.equal(unknown.code, 1);
    const forgotten = await afp(['forget', name]);
    assert.equal(forgotten.code, 0, forgotten.stderr);
    assert.equal(forgotten.stdout, `Forgot ${name}: removed from the inventory; nothing was asked of its cluster.\n`);
    assert.doesNotMatch((await afp(['list'])).stdout, new RegExp(name));
    // The cluster was not touched: the other owner's namespace is still there.
    assert.match(await kubectlOk(['get', 'namespace', name, '-o', 'name']), new RegExp(`namespace/${name}`));
  });
});
