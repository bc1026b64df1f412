/**
 * Drift on the test bed's kwok nodes (simulated pods: drift is about the
 * objects the API server holds and their managed fields, which kwok does not
 * touch): a workload scaled with kubectl, a Service and a ConfigMap deleted,
 * shown by `afp status` with field, expected, found and manager; `afp update`
 * with no values restores, and the environment is Ready again.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { afp } from '../../support/afp';
import { kubectl, kubectlOk, testbedEnv } from '../../support/testbed';
import { envName, FIXTURES } from '../deploy/support';

/** `afp status` until `done` says so (drift is read a moment after a change), or the last answer. */
async function statusUntil(name: string, done: (stdout: string) => boolean, ms = 20_000): Promise<{ code: number; stdout: string }> {
  const deadline = Date.now() + ms;
  for (;;) {
    const seen = await afp(['status', name]);
    if (done(seen.stdout) || Date.now() > deadline) return seen;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('drift on kwok nodes (simulated pods): afp status shows what was changed outside the app, afp update restores', () => {
  let config: string;
  const previous = process.env.AFP_CONFIG_DIR;
  before(() => {
    config = mkdtempSync(path.join(os.tmpdir(), 'afp-drift-'));
    process.env.AFP_CONFIG_DIR = config;
  });
  after(() => {
    if (previous === undefined) delete process.env.AFP_CONFIG_DIR;
    else process.env.AFP_CONFIG_DIR = previous;
    rmSync(config, { recursive: true, force: true });
  });

  test('scale with kubectl → Drifted naming spec.replicas and kubectl; deleted Service and ConfigMap named; restore → Ready', async (t) => {
    const name = envName(t, 'drift');
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
      '--kubeconfig',
      kubeconfig,
      '--name',
      name,
      '--wait',
      '--timeout',
      '90s',
    ]);
    assert.equal(deployed.code, 0, deployed.stderr);
    const ready = await afp(['status', name]);
    assert.equal(ready.code, 0, ready.stdout);
    assert.match(ready.stdout, /^status: Ready/m);
    assert.doesNotMatch(ready.stdout, /changed outside the app/, 'controllers filling status and defaults are no drift');

    await kubectlOk(['scale', 'deployment', 'worker', '-n', name, '--replicas', '3']);
    const scaled = await statusUntil(name, (out) => /status: Drifted/.test(out));
    assert.equal(scaled.code, 3, scaled.stdout);
    assert.match(scaled.stdout, /^status: Drifted .*Deployment worker: spec\.replicas is 3, expected 1 \(changed by kubectl\)/m);
    assert.match(scaled.stdout, /^ {2}Deployment worker +spec\.replicas +1 +3 +kubectl *$/m);

    await kubectlOk(['delete', 'service', 'scheduler', '-n', name]);
    await kubectlOk(['delete', 'configmap', 'cache-files', '-n', name]);
    const deleted = await statusUntil(name, (out) => /ConfigMap cache-files/.test(out) && /Service scheduler/.test(out), 45_000);
    assert.match(deleted.stdout, /^ {2}Service scheduler +\(object\) +present +deleted +- *$/m);
    assert.match(deleted.stdout, /^ {2}ConfigMap cache-files +\(object\) +present +deleted +- *$/m);
    const json = JSON.parse((await afp(['status', name, '--json'])).stdout) as {
      drift: { kind: string; field: string; manager?: string }[];
    };
    assert.deepEqual(json.drift.map((d) => `${d.kind} ${d.field} ${d.manager ?? '-'}`).sort(), [
      'ConfigMap (object) -',
      'Deployment spec.replicas kubectl',
      'Service (object) -',
    ]);

    const restored = await afp(['update', name, '--templates', FIXTURES, '--wait', '--timeout', '90s']);
    assert.equal(restored.code, 0, restored.stderr);
    assert.equal(restored.stdout, `Environment ${name} is restored and ready (all 3 workloads ready).\n`);
    const after = await statusUntil(name, (out) => /status: Ready/.test(out));
    assert.equal(after.code, 0, after.stdout);
    assert.doesNotMatch(after.stdout, /changed outside the app/);
    assert.equal(await kubectlOk(['get', 'deployment', 'worker', '-n', name, '-o', 'jsonpath={.spec.replicas}']), '1');
    await kubectlOk(['get', 'service', 'scheduler', '-n', name]);
    await kubectlOk(['get', 'configmap', 'cache-files', '-n', name]);
  });
});
