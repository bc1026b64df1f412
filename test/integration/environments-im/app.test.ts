/**
 * The app's own path (createApp, as the Electron shell and the browser
 * preview run it) deploying through IM: the Review's capability check for
 * IM, environments.deploy with the IM choice, the infrastructure id and IM's
 * state reaching the Environment page's detail, IM's log, the owner's
 * credentials (Reveal: read from the TOSCA IM stores), and delete.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp, type App } from '../../../main/app';
import { createLogger } from '../../../main/log';
import { previewHost } from '../../../main/app/preview-host';
import type { AppEvent, RequestInput, RequestName, RequestOutput } from '../../../main/api';
import { AfpError } from '../../../main/errors';
import { kubectlJson, waitUntil } from '../../support/testbed';
import { namespaceGone, podsIn, uniqueName } from '../targets-im/support';
import { imWorld, type ImWorld } from './support';

let world: ImWorld;
let app: App;
const events: AppEvent[] = [];

before(async () => {
  world = await imWorld();
  app = createApp({
    host: previewHost(world.configDir, () => Promise.resolve(false)),
    profileSources: { cli: world.profileFile },
    log: createLogger(() => undefined),
  });
  app.events.subscribe((event) => events.push(event));
  await waitUntil('the session restored from the vault', async () => (await request('auth.status', {})).state === 'signed-in', 15_000, 100);
});
after(async () => {
  await app?.dispose();
  await world?.close();
});

/** A request as the bridges make it: the input parsed by the contract, errors as values turned back into AfpError. */
async function request<K extends RequestName>(name: K, input: RequestInput<K>): Promise<RequestOutput<K>> {
  const result = await app.dispatch(name, input, { via: 'test' });
  if (!result.ok) throw new AfpError(result.error.code, result.error.message, result.error);
  return result.value as RequestOutput<K>;
}

async function done(operationId: string, timeoutMs: number): Promise<Extract<AppEvent, { type: 'operation.done' }>> {
  let found: Extract<AppEvent, { type: 'operation.done' }> | undefined;
  await waitUntil(
    `operation ${operationId} to end`,
    () =>
      Promise.resolve(
        (found = events.find(
          (e): e is Extract<AppEvent, { type: 'operation.done' }> => e.type === 'operation.done' && e.operationId === operationId,
        )) !== undefined,
      ),
    timeoutMs,
    200,
  );
  assert.ok(found);
  return found;
}

describe('the app deploys through IM and the dispatcher', { concurrency: true }, () => {
  it(
    'Review offers IM with its capability check; deploy records the infrastructure, status reaches Ready, the log shows, an update redeploys, delete removes the pods',
    { timeout: 240_000 },
    async () => {
      const profile = await request('profile.get', {});
      assert.equal(profile.active?.targets.im, world.bed.imUrl);
      const name = uniqueName('envim-app');
      const plan = { template: 'minio', values: {}, name, target: 'im' as const };
      const review = await request('plan.render', plan);
      assert.ok(review.valid);
      assert.equal(review.capability.target, 'im');
      assert.equal(review.capability.ok, true, JSON.stringify(review.capability.items));
      // JupyterHub alone has no IM shape (the analysis facility and Dask do: a JupyterLab per user, issue #24).
      const hub = await request('plan.render', { ...plan, template: 'jupyterhub' });
      assert.ok(hub.valid);
      assert.equal(hub.capability.ok, false, "JupyterHub's RBAC cannot go through IM's connector");
      assert.ok(hub.capability.items.some((item) => item.severity === 'refused' && /Role|ServiceAccount/.test(item.object)));
      await assert.rejects(
        request('environments.deploy', { plan: { ...plan, template: 'jupyterhub' }, target: { kind: 'im' } }),
        /IM cannot create .* faithfully, so nothing was sent/,
      );

      const started = await request('environments.deploy', { plan, target: { kind: 'im' } });
      try {
        const end = await done(started.operationId, 150_000);
        assert.equal(end.outcome, 'succeeded', end.error?.message);
        const progress = events.filter((e) => e.type === 'operation.progress' && e.operationId === started.operationId);
        assert.ok(progress.some((e) => e.type === 'operation.progress' && /accepted the environment as infrastructure/.test(e.text)));

        let detail = await request('environments.get', { id: started.environmentId });
        assert.equal(detail.summary.target.kind, 'im');
        assert.match(detail.summary.target.infrastructureId ?? '', /^[0-9a-f-]{36}$/);
        assert.equal(detail.summary.target.imUrl, world.bed.imUrl);
        await waitUntil(
          'IM state Ready on the Environment page',
          async () => {
            detail = await request('environments.get', { id: started.environmentId });
            return detail.summary.status.phase === 'Ready' && detail.live.links.some((link) => link.url !== undefined);
          },
          60_000,
          500,
        );
        assert.match(detail.summary.status.message ?? '', /^IM: configured/);
        assert.ok(detail.live.workloads.some((w) => w.kind === 'Infrastructure' && w.ready === w.desired && w.desired > 0));
        assert.ok((await podsIn(name)).some((pod) => pod.phase === 'Running'));

        const logs = await request('environments.logs', { id: started.environmentId });
        assert.equal(logs.infrastructureId, detail.summary.target.infrastructureId);
        assert.ok(logs.text.trim().length > 0);

        // IM cannot change a running infrastructure: an update deletes it and creates the environment again, saying so.
        const first = detail.summary.target.infrastructureId ?? '';
        const updating = await request('environments.update', { id: started.environmentId, values: { storage: '30Gi' } });
        const updated = await done(updating.operationId, 180_000);
        assert.equal(updated.outcome, 'succeeded', updated.error?.message);
        const said = events
          .filter((e) => e.type === 'operation.progress' && e.operationId === updating.operationId)
          .map((e) => (e.type === 'operation.progress' ? e.text : ''));
        assert.ok(
          said.some((text) =>
            text.startsWith(
              `IM cannot change a running infrastructure: deleting infrastructure ${first}, then creating the environment again`,
            ),
          ),
          said.join('\n'),
        );
        detail = await request('environments.get', { id: started.environmentId });
        assert.notEqual(detail.summary.target.infrastructureId, first, 'a new infrastructure, recorded');
        assert.match(detail.summary.target.infrastructureId ?? '', /^[0-9a-f-]{36}$/);
        assert.equal(detail.summary.values.storage, '30Gi');
      } finally {
        const deleting = await request('environments.delete', { id: started.environmentId });
        const end = await done(deleting.operationId, 120_000);
        assert.equal(end.outcome, 'succeeded', end.error?.message);
      }
      await waitUntil(`namespace ${name} to go`, () => namespaceGone(name), 60_000, 500);
      assert.ok(!(await request('environments.list', {})).environments.some((e) => e.name === name));
    },
  );

  it('through the dispatcher: recorded with the dispatcher and IM, Ready with links, log, deleted', { timeout: 240_000 }, async () => {
    const name = uniqueName('envim-app-disp');
    const started = await request('environments.deploy', {
      plan: { template: 'minio', values: {}, name, target: 'dispatcher' },
      target: { kind: 'dispatcher' },
    });
    try {
      const end = await done(started.operationId, 150_000);
      assert.equal(end.outcome, 'succeeded', end.error?.message);
      let detail = await request('environments.get', { id: started.environmentId });
      assert.equal(detail.summary.target.kind, 'dispatcher');
      assert.match(detail.summary.target.label, /^dispatcher http:\/\/127\.0\.0\.1:\d+\/api\/v1\/deployments$/);
      assert.equal(detail.summary.target.imUrl, world.bed.imUrl, 'followed through IM');
      assert.match(detail.summary.target.infrastructureId ?? '', /^[0-9a-f-]{36}$/);
      await waitUntil(
        'Ready through IM',
        async () => {
          detail = await request('environments.get', { id: started.environmentId });
          return detail.summary.status.phase === 'Ready' && detail.live.links.some((link) => link.url !== undefined);
        },
        60_000,
        500,
      );
      assert.ok((await request('environments.logs', { id: started.environmentId })).text.trim().length > 0);
      assert.ok((await podsIn(name)).some((pod) => pod.phase === 'Running'));
      // The Environment page's Reveal: MinIO's root keys as MinIO's pod holds them (simulated kwok pod: its spec).
      const shown = await request('environments.credentials', { id: started.environmentId });
      assert.equal(shown.unavailable, undefined, shown.unavailable);
      const pods = await kubectlJson<{ items: { spec: { containers: { env?: { name: string; value?: string }[] }[] } }[] }>([
        'get',
        'pods',
        '-n',
        name,
      ]);
      const env = pods.items[0]?.spec.containers[0]?.env ?? [];
      const value = (key: string): string | undefined => env.find((entry) => entry.name === key)?.value;
      assert.deepEqual(
        shown.credentials.map((c) => [c.title, c.username, c.secret]),
        [['MinIO console and API (root)', value('MINIO_ROOT_USER'), value('MINIO_ROOT_PASSWORD')]],
      );
      assert.ok((value('MINIO_ROOT_PASSWORD') ?? '').length >= 16);
    } finally {
      const deleting = await request('environments.delete', { id: started.environmentId });
      const end = await done(deleting.operationId, 120_000);
      assert.equal(end.outcome, 'succeeded', end.error?.message);
    }
    await waitUntil(`namespace ${name} to go`, () => namespaceGone(name), 60_000, 500);
  });
});

describe('signed out', () => {
  it('a signed-out user is told to sign in before anything is recorded', async () => {
    await request('auth.signOut', {});
    await assert.rejects(
      request('environments.deploy', {
        plan: { template: 'minio', values: {}, name: uniqueName('envim-out'), target: 'dispatcher' },
        target: { kind: 'dispatcher' },
      }),
      /Not signed in: the site's dispatcher acts with your sign-in, so sign in first/,
    );
    assert.equal((await request('environments.list', {})).environments.length, 0);
  });
});
