import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { afp } from '../../support/afp';
import { kubectl, testbedEnv } from '../../support/testbed';
import { envName, FIXTURES } from './support';

describe('afp deploy and afp delete', () => {
  let config: string;
  const previous = process.env.AFP_CONFIG_DIR;
  before(() => {
    config = mkdtempSync(path.join(os.tmpdir(), 'afp-cli-deploy-'));
    process.env.AFP_CONFIG_DIR = config;
  });
  after(() => {
    if (previous === undefined) delete process.env.AFP_CONFIG_DIR;
    else process.env.AFP_CONFIG_DIR = previous;
    rmSync(config, { recursive: true, force: true });
  });

  test('deploy --wait: progress lines on stderr, exit 0 when ready; delete --wait: exit 0 when gone', async (t) => {
    const name = envName(t, 'cli');
    t.after(async () => {
      await kubectl(['delete', 'namespace', name, '--wait=false', '--ignore-not-found']);
    });
    const deployed = await afp([
      'deploy',
      'lab-dask',
      '--templates',
      FIXTURES,
      '--set',
      'workers=1',
      '--kubeconfig',
      testbedEnv().adminKubeconfig,
      '--name',
      name,
      '--wait',
      '--timeout',
      '90s',
    ]);
    assert.equal(deployed.code, 0, deployed.stderr);
    assert.match(
      deployed.stderr,
      new RegExp(`^Deploying lab-dask as environment "${name}" \\(id [0-9a-f-]{36}, operation op-[0-9a-f-]+\\)$`, 'm'),
    );
    assert.match(deployed.stderr, /^\[ *\d+\.\ds\] Namespace .* applied$/m);
    assert.match(deployed.stderr, /^\[ *\d+\.\ds\] worker-[a-z0-9]+-[a-z0-9]+: ready$/m);
    assert.equal(deployed.stdout, `Environment ${name} is ready (all 3 workloads ready).\n`);

    const again = await afp(['deploy', 'lab-dask', '--templates', FIXTURES, '--kubeconfig', testbedEnv().adminKubeconfig, '--name', name]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, new RegExp(`error: name: An environment named "${name}" already exists`));

    const deleted = await afp(['delete', name, '--wait']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stderr, new RegExp(`Namespace ${name} is gone\\.`));
    assert.match(deleted.stderr, new RegExp(`^This deletes for good: namespace ${name} and everything in it\\.$`, 'm'));
    assert.equal(deleted.stdout, `Environment ${name} is gone.\n`);
    assert.notEqual((await kubectl(['get', 'namespace', name])).code, 0);
  });

  test('update --set resizes a deployed environment, keeping the values not given; wrong values and unknown names are refused', async (t) => {
    const name = envName(t, 'cli-update');
    t.after(async () => {
      await kubectl(['delete', 'namespace', name, '--wait=false', '--ignore-not-found']);
    });
    const kubeconfig = testbedEnv().adminKubeconfig;
    const deployed = await afp([
      'deploy',
      'lab-dask',
      '--templates',
      FIXTURES,
      '--set',
      'workers=1',
      '--set',
      'withCache=false',
      '--kubeconfig',
      kubeconfig,
      '--name',
      name,
      '--wait',
      '--timeout',
      '90s',
    ]);
    assert.equal(deployed.code, 0, deployed.stderr);

    const updated = await afp(['update', name, '--templates', FIXTURES, '--set', 'workers=3', '--wait', '--timeout', '90s']);
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stderr, new RegExp(`^Updating environment "${name}" \\(workers=3; operation op-[0-9a-f-]+\\)$`, 'm'));
    assert.equal(updated.stdout, `Environment ${name} is updated and ready (both workloads ready).\n`);
    const replicas = await kubectl([
      'get',
      'deployment',
      '-n',
      name,
      '-l',
      'app.kubernetes.io/component=worker',
      '-o',
      'jsonpath={.items[0].status.readyReplicas}',
    ]);
    assert.equal(replicas.stdout, '3');
    const cache = await kubectl(['get', 'deployment,statefulset', '-n', name, '-l', 'app.kubernetes.io/component=cache', '-o', 'name']);
    assert.equal(cache.stdout.trim(), '', 'withCache=false kept from the deploy');

    // No values: a restore of the recorded plan (workers=3 stays).
    const restored = await afp(['update', name, '--templates', FIXTURES]);
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stderr, new RegExp(`^Restoring environment "${name}": re-applying its recorded plan`, 'm'));
    const tooMany = await afp(['update', name, '--templates', FIXTURES, '--set', 'workers=65']);
    assert.equal(tooMany.code, 1);
    assert.match(tooMany.stderr, /^error: .*workers/m);
    const noTemplate = await afp(['update', name, '--set', 'workers=2']);
    assert.equal(noTemplate.code, 1);
    assert.equal(
      noTemplate.stderr,
      `error: template: Environment ${name} was deployed from template "lab-dask", which is not in the catalogue; give its folder with --templates.\n`,
    );
    const unknown = await afp(['update', 'no-such-environment', '--set', 'workers=2']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'error: environment: No environment "no-such-environment" in the inventory.\n');
    const nothing = await afp(['resume', name]);
    assert.equal(nothing.code, 1);
    assert.equal(nothing.stderr, `error: Environment ${name} has no unfinished operation to resume.\n`);
    assert.equal(
      (
        await kubectl([
          'get',
          'deployment',
          '-n',
          name,
          '-l',
          'app.kubernetes.io/component=worker',
          '-o',
          'jsonpath={.items[0].spec.replicas}',
        ])
      ).stdout,
      '3',
      'refused updates changed nothing',
    );
  });

  test('usage mistakes exit 2; what cannot be done exits 1 with the reason', async () => {
    assert.equal((await afp(['deploy', 'dask', '--timeout', '5m'])).code, 2);
    assert.equal((await afp(['deploy', 'dask', '--wait', '--timeout', 'soon'])).code, 2);
    assert.equal((await afp(['delete'])).code, 2);
    const missing = await afp(['delete', 'no-such-environment']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'error: environment: No environment "no-such-environment" in the inventory.\n');
    const noConfig = await afp(['deploy', 'dask', '--kubeconfig', '/nonexistent/kubeconfig']);
    assert.equal(noConfig.code, 1);
    assert.match(noConfig.stderr, /^error: No kubeconfig at \/nonexistent\/kubeconfig\.\n/);
    assert.match(noConfig.stderr, /--kubeconfig FILE, or set KUBECONFIG=FILE/);
    const badValue = await afp(['deploy', 'dask', '--set', 'workers=-3', '--kubeconfig', testbedEnv().adminKubeconfig]);
    assert.equal(badValue.code, 1);
    assert.match(badValue.stderr, /^error: .*workers/);
  });
});
