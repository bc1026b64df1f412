/**
 * The physicist's journey through the CLI, on real container nodes: every pod
 * here runs a real process from the locally built images, Ready comes from
 * real readiness probes, the hub spawns a real user pod and PVC, and a real
 * kernel computes on real Dask workers and writes to a real MinIO.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CredentialsView } from '../../../main/contract/credentials';
import { afp } from '../../support/afp';
import { hubSignIn, runPython, startServer, type HubSession } from '../../support/jupyter';
import { kubectl, kubectlJson, testbedEnv, waitUntil } from '../../support/testbed';
import { portForward } from '../realnode/real-node';
import {
  countWorkers,
  EXPECTED_TOTAL,
  JOURNEY_VALUES,
  journeyBed,
  hubOwner,
  OWN_KEYS,
  SCIENCE,
  type JourneyBed,
  type OwnKeysResult,
  type ScienceResult,
} from './support';

interface PodList {
  items: { metadata: { name: string; labels?: Record<string, string> }; spec: { nodeName?: string } }[];
}

describe('the physicist’s journey through the CLI, on real container nodes', { timeout: 1_500_000 }, () => {
  let bed: JourneyBed;
  let config: string;
  const previous = process.env.AFP_CONFIG_DIR;
  const name = `journey-${Date.now().toString(36)}`;
  let forward: { port: number; stop(): void } | undefined;
  let hub: HubSession;

  before(async () => {
    bed = await journeyBed();
    config = mkdtempSync(path.join(os.tmpdir(), 'afp-journey-'));
    process.env.AFP_CONFIG_DIR = config;
  });
  after(async () => {
    forward?.stop();
    await kubectl(['delete', 'namespace', name, '--wait=false', '--ignore-not-found']).catch(() => undefined);
    if (previous === undefined) delete process.env.AFP_CONFIG_DIR;
    else process.env.AFP_CONFIG_DIR = previous;
    rmSync(config, { recursive: true, force: true });
    await bed?.stop();
  });

  test('afp deploy --wait: Ready from the real readiness probes of every component', async () => {
    const sets = Object.entries(JOURNEY_VALUES).flatMap(([key, value]) => ['--set', `${key}=${value}`]);
    const fit = await afp(['fit', 'analysis-facility', ...sets, '--kubeconfig', testbedEnv().adminKubeconfig]);
    assert.equal(fit.code, 0, `the fit says it fits: ${fit.stdout}${fit.stderr}`);
    const deployed = await afp([
      'deploy',
      'analysis-facility',
      ...sets,
      '--kubeconfig',
      testbedEnv().adminKubeconfig,
      '--name',
      name,
      '--wait',
      '--timeout',
      '600s',
    ]);
    assert.equal(deployed.code, 0, deployed.stderr);
    assert.match(deployed.stdout, new RegExp(`^Environment ${name} is ready`));
    const pods = await kubectlJson<PodList>(['get', 'pods', '-n', name]);
    const real = new Set(testbedEnv().realNodes?.names);
    for (const pod of pods.items) assert.ok(real.has(pod.spec.nodeName ?? ''), `${pod.metadata.name} runs on a real node`);

    const status = await afp(['status', name, '--json']);
    assert.equal(status.code, 0, status.stdout + status.stderr);
    const live = JSON.parse(status.stdout) as { status: { phase: string }; links: { id: string; ready: boolean }[] };
    assert.equal(live.status.phase, 'Ready');
    assert.deepEqual(
      live.links.map((link) => [link.id, link.ready]),
      [
        ['jupyterhub', true],
        ['dask-dashboard', true],
        ['minio-console', true],
      ],
    );
  });

  test('the owner signs in to the hub, starts a server (a real pod and PVC) and computes on Dask and MinIO from it', async () => {
    forward = await portForward(name, 'service/proxy-public', 80);
    // The owner's login as a physicist gets it: from afp credentials, not from the Secret.
    const shown = await afp(['credentials', name, '--json']);
    assert.equal(shown.code, 0, shown.stderr);
    const login = (JSON.parse(shown.stdout) as CredentialsView).credentials.find((c) => c.component === 'hub');
    assert.ok(login?.username !== undefined, shown.stdout);
    assert.equal(login.username, await hubOwner(name), 'afp credentials names the owner the hub admits');
    assert.equal(login.username, 'afp-testbed', 'deployed without signing in: the hub’s owner is the kubeconfig’s user');
    hub = await hubSignIn(`http://127.0.0.1:${forward.port}`, login.username, login.secret);
    await assert.rejects(hubSignIn(hub.base, hub.user, 'not-the-password'), new RegExp(`refused ${hub.user}'s login`));
    await startServer(hub);
    const user = await kubectlJson<PodList>(['get', 'pods', '-n', name, '-l', 'app.kubernetes.io/component=jupyter-user']);
    assert.equal(user.items.length, 1, 'KubeSpawner made the user pod');
    const claims = await kubectl(['get', 'pvc', '-n', name, '-o', 'name']);
    assert.match(claims.stdout, new RegExp(`persistentvolumeclaim/claim-${hub.user}\\b`));

    const run = await runPython(hub, SCIENCE);
    assert.equal(run.error, undefined, `${run.error}\n${run.stderr}`);
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as ScienceResult;
    assert.equal(result.total, EXPECTED_TOTAL);
    assert.deepEqual(result.readBack, { total: EXPECTED_TOTAL });
    assert.equal(result.workers.length, 1);
    assert.equal(result.notebook, user.items[0]!.metadata.name);
  });

  test("the server's storage keys are its user's own: MinIO's admin API refuses them, not root, its buckets and objects work", async () => {
    const run = await runPython(hub, OWN_KEYS);
    assert.equal(run.error, undefined, `${run.error}\n${run.stderr}`);
    const own = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as OwnKeysResult;
    assert.equal(own.admin.status, 403, `MinIO's admin API (list users) refuses the server's keys: ${JSON.stringify(own.admin)}`);
    assert.match(own.admin.body, /AccessDenied/);
    const root = Buffer.from(
      (await kubectl(['get', 'secret', 'minio-root', '-n', name, '-o', 'jsonpath={.data.user}'])).stdout,
      'base64',
    ).toString('utf8');
    assert.ok(root.length > 0, 'the root user was read');
    assert.notEqual(own.accessKey, root, 'not the root user');
    assert.equal(own.accessKey, `hub-${hub.user}`, 'the MinIO user the hub made for this hub user');
    assert.equal(own.readBack, 'hello', 'a bucket and object of its own');
    const user = await kubectlJson<PodList>(['get', 'pods', '-n', name, '-l', 'app.kubernetes.io/component=jupyter-user']);
    assert.doesNotMatch(JSON.stringify(user.items), /minio-root/, "the user's pod refers to no root Secret");
  });

  test('afp update --set workers=2 --wait: the scheduler lists 2 workers', async () => {
    const updated = await afp(['update', name, '--set', 'workers=2', '--wait', '--timeout', '300s']);
    assert.equal(updated.code, 0, updated.stderr);
    const run = await runPython(hub, countWorkers(2));
    assert.equal(run.error, undefined, run.error);
    assert.equal(run.stdout.trim(), '2');
  });

  test('afp delete --wait: every pod, PVC and the namespace are gone', async () => {
    forward?.stop();
    forward = undefined;
    const deleted = await afp(['delete', name, '--wait', '--timeout', '300s']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(deleted.stdout, `Environment ${name} is gone.\n`);
    assert.notEqual((await kubectl(['get', 'namespace', name])).code, 0, 'the namespace is gone');
    await waitUntil(
      'the released volumes to go',
      async () => !(await kubectl(['get', 'pv', '-o', 'jsonpath={.items[*].spec.claimRef.namespace}'])).stdout.includes(name),
      60_000,
    );
  });
});
