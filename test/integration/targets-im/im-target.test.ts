/**
 * The IM target against the real IM on the test bed: MinIO (the template the
 * capability check lets through) created with the user's token, followed to
 * IM's final state, its pods on the bed, its outputs as links, its log, and
 * deleted; refused plans, TOSCA IM rejects, refused users and an expired
 * token, each with a clear message.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formatError } from '../../../main/errors';
import { renderPlan } from '../../../main/render/plan';
import { renderTosca } from '../../../main/render/tosca/render-tosca';
import { imStatusSourceFactory } from '../../../main/targets/dispatcher';
import { imTarget, type ImSettings, type ImTarget } from '../../../main/targets/im';
import type { ProgressEvent } from '../../../main/targets/kinds/target';
import type { Observation } from '../../../main/tracking/views';
import { kubectlJson, waitUntil } from '../../support/testbed';
import { builtin } from '../../unit/catalogue/fixtures';
import { bed, expiredCopy, minioPlan, namespaceGone, podsIn, recordFor, ScriptedTokens, uniqueName, userToken, type Bed } from './support';

let b: Bed;
let settings: ImSettings;
const signal = new AbortController().signal;
const noProgress = (): void => undefined;

before(async () => {
  b = await bed();
  settings = { url: b.imUrl, authMode: 'token', kubernetesLine: { host: b.env.apiServerUrl, tokenFrom: 'user' } };
});

function target(tokens: ScriptedTokens, extra: Partial<Parameters<typeof imTarget>[0]> = {}): ImTarget {
  return imTarget({ im: settings, tokens, pollMs: 1000, ...extra });
}

describe('the IM target on the real IM', () => {
  const created: { target: ImTarget; id: string }[] = [];
  after(async () => {
    for (const { target: t, id } of created)
      await t.remove({ environmentId: id, namespace: '', infrastructureId: id }, { signal, onProgress: noProgress, waitMs: 60_000 });
  });

  it(
    'creates MinIO with the user token, reports the infrastructure first, waits for IM to configure it, shows pods, links and log, and deletes it',
    { timeout: 150_000 },
    async () => {
      const tokens = new ScriptedTokens([b.alice]);
      const t = target(tokens);
      const plan = minioPlan(uniqueName('tim-minio'));
      const namespace = plan.environment.namespace;
      const events: ProgressEvent[] = [];
      const result = await t.apply(plan, { signal, onProgress: (event) => events.push(event), waitForReadyMs: 90_000 });
      const infrastructure = events.find((event) => event.type === 'infrastructure');
      assert.ok(infrastructure?.type === 'infrastructure', 'the infrastructure is reported');
      created.push({ target: t, id: infrastructure.id });
      assert.equal(result.outcome, 'succeeded', result.error === undefined ? '' : formatError(result.error));
      assert.deepEqual(result.readiness, {
        ready: true,
        text: '1/1 containers configured',
        said: { id: 'imDeploy.configured', params: { configured: 1, total: 1 }, text: '1/1 containers configured' },
      });
      assert.equal(infrastructure.uri, `${b.imUrl}/infrastructures/${infrastructure.id}`);
      assert.ok(events.indexOf(infrastructure) < events.findIndex((event) => event.type === 'workload'), 'the id comes before any state');
      assert.equal(events.filter((event) => event.type === 'workload').at(-1)?.text, 'IM: configured (1 container): ready to use');
      assert.equal((await t.client.state(infrastructure.id)).state, 'configured');

      const pods = await podsIn(namespace);
      assert.equal(pods.length, 1, JSON.stringify(pods));
      assert.match(pods[0]?.name ?? '', /^minio-[0-9a-f]{8}-/);
      assert.equal(pods[0]?.phase, 'Running');

      // The status source reads state and outputs; the console link is the Service's real node port.
      const record = recordFor(plan, { kind: 'im', imUrl: b.imUrl, infrastructureId: infrastructure.id });
      const source = imStatusSourceFactory({ tokens, profile: () => ({ im: settings }) })(record);
      assert.ok(source !== undefined);
      let seen: Observation | undefined;
      source.start(() => undefined);
      try {
        await waitUntil('the first observation', () => Promise.resolve((seen = source.observe(record)) !== undefined), 15_000, 100);
      } finally {
        source.dispose();
      }
      assert.equal(seen?.phase, 'Ready', seen?.message);
      const services = await kubectlJson<{ items: { spec: { type: string; ports: { port: number; nodePort?: number }[] } }[] }>([
        'get',
        'services',
        '-n',
        namespace,
      ]);
      const nodePort = services.items[0]?.spec.ports.find((port) => port.port === 9001)?.nodePort;
      assert.equal(services.items[0]?.spec.type, 'NodePort');
      const console = seen?.links.find((link) => link.id === 'minio-console');
      assert.ok(console !== undefined, JSON.stringify(seen?.links));
      // IM publishes at the pod's host IP when it deems it public (the simulated
      // nodes' loopback addresses, 127.0.1.x, are), else at the API server's host.
      const hostIp = (await kubectlJson<{ items: { status: { hostIP?: string } }[] }>(['get', 'pods', '-n', namespace])).items[0]?.status
        .hostIP;
      assert.ok(hostIp !== undefined);
      assert.equal(console.url, `http://${hostIp}:${nodePort}/`);
      assert.equal(console.ready, true);
      const apiPort = services.items[0]?.spec.ports.find((port) => port.port === 9000)?.nodePort;
      assert.equal(
        seen?.links.find((link) => link.id === 'minio-api')?.url,
        `http://${hostIp}:${apiPort}/`,
        'each link its own port, though IM reorders its endpoints',
      );

      assert.match(await t.logs(infrastructure.id, signal), /Contextualization disabled by the RADL\/TOSCA template/);
      assert.equal(
        (await t.existing({ id: plan.environment.id, namespace, infrastructureId: infrastructure.id }, { signal })).presence,
        'ours',
      );

      const removed = await t.remove(
        { environmentId: plan.environment.id, namespace, infrastructureId: infrastructure.id },
        { signal, onProgress: noProgress, waitMs: 30_000 },
      );
      assert.deepEqual(removed, { outcome: 'succeeded', gone: true });
      await waitUntil(`namespace ${namespace} to go`, () => namespaceGone(namespace), 60_000, 500);
      assert.equal(
        (await t.existing({ id: plan.environment.id, namespace, infrastructureId: infrastructure.id }, { signal })).presence,
        'absent',
      );
      const again = await t.remove(
        { environmentId: plan.environment.id, namespace, infrastructureId: infrastructure.id },
        { signal, onProgress: (event) => events.push(event) },
      );
      assert.deepEqual(again, { outcome: 'succeeded', gone: true }, 'deleting what IM no longer knows is done, not an error');
      assert.match(events.at(-1)?.text ?? '', /was already gone from IM/);
      assert.equal(tokens.refreshes, 0);
    },
  );

  it(
    'cancelling while IM builds stops waiting at once and says IM keeps the infrastructure, whose id was reported first',
    { timeout: 90_000 },
    async () => {
      const tokens = new ScriptedTokens([b.alice]);
      const t = target(tokens, { pollMs: 30_000 });
      const plan = minioPlan(uniqueName('tim-cancel'));
      const controller = new AbortController();
      let id = '';
      const started = Date.now();
      const result = await t.apply(plan, {
        signal: controller.signal,
        onProgress: (event) => {
          if (event.type !== 'infrastructure') return;
          id = event.id;
          created.push({ target: t, id });
          controller.abort();
        },
        waitForReadyMs: 60_000,
      });
      assert.equal(result.outcome, 'cancelled');
      assert.ok(Date.now() - started < 20_000, 'the 30 s between polls is not waited out');
      assert.match(result.error?.message ?? '', new RegExp(`^Stopped waiting; IM keeps infrastructure ${id}\\.`));
      const removed = await t.remove(
        { environmentId: plan.environment.id, namespace: plan.environment.namespace, infrastructureId: id },
        { signal, onProgress: noProgress, waitMs: 60_000 },
      );
      assert.deepEqual(removed, { outcome: 'succeeded', gone: true });
    },
  );

  it('refuses up front what the capability check refuses, naming the items, and sends nothing', async () => {
    const tokens = new ScriptedTokens([b.alice]);
    const before = (await target(tokens).client.list()).length;
    const plan = renderPlan({ template: builtin('jupyterhub'), environment: { name: uniqueName('tim-hub') }, target: 'im' });
    const result = await target(tokens).apply(plan, { signal, onProgress: noProgress, waitForReadyMs: 10_000 });
    assert.equal(result.outcome, 'failed');
    assert.equal(result.error?.code, 'unsupported');
    assert.match(
      result.error?.message ?? '',
      /^IM cannot create tim-hub-[0-9a-f]+ faithfully, so nothing was sent: ServiceAccount hub: JupyterHub's KubeSpawner needs a ServiceAccount/,
    );
    assert.match(result.error?.message ?? '', /Deployment hub: needs working directory \/srv\/jupyterhub/);
    assert.ok(result.objects.every((object) => object.state === 'planned'));
    assert.equal((await target(tokens).client.list()).length, before);
  });

  it("shows IM's rejection of a TOSCA document: the parser's words without the traceback, and the line when IM names one", async () => {
    const tokens = new ScriptedTokens([b.alice]);
    const plan = minioPlan(uniqueName('tim-bad'));
    const notFloat = await target(tokens, { tosca: (p) => renderTosca(p).yaml.replace(/num_cpus: [\d.]+/, 'num_cpus: 1') }).apply(plan, {
      signal,
      onProgress: noProgress,
    });
    assert.equal(notFloat.outcome, 'failed');
    assert.equal(notFloat.error?.code, 'invalid_input');
    assert.match(
      notFloat.error?.message ?? '',
      /\(HTTP 400\): Error parsing request body: Error parsing TOSCA template: .*ValueError: "1" is not a float\.$/,
    );
    assert.doesNotMatch(notFloat.error?.message ?? '', /File |line \d+, in /);

    const broken = await target(tokens, {
      tosca: (p) => renderTosca(p).yaml.replace('topology_template:', 'topology_template: [\n  oops:'),
    }).apply(plan, { signal, onProgress: noProgress });
    assert.equal(broken.error?.code, 'invalid_input');
    assert.equal(broken.error?.file, `TOSCA of ${plan.environment.name}`);
    assert.equal(typeof broken.error?.line, 'number');
    assert.match(
      formatError(broken.error ?? { code: 'internal', message: '' }),
      new RegExp(`^TOSCA of ${plan.environment.name}:\\d+: IM at .* refused to create the infrastructure \\(HTTP 400\\)`),
    );
  });

  it('a user outside the required group is forbidden without renewing; a token IM cannot verify is renewed once, never looped', async () => {
    const bob = new ScriptedTokens([await userToken(b, 'bob')]);
    const outside = await target(bob).apply(minioPlan(uniqueName('tim-bob')), { signal, onProgress: noProgress });
    assert.equal(outside.error?.code, 'forbidden');
    assert.match(outside.error?.message ?? '', /User not in configured groups\. Ask your site to add you to the group IM requires\.$/);
    assert.equal(bob.refreshes, 0);

    const forged = `${b.alice.split('.').slice(0, 2).join('.')}.${Buffer.from('not a signature').toString('base64url')}`;
    const bad = new ScriptedTokens([forged, forged, forged]);
    const refused = await target(bad).apply(minioPlan(uniqueName('tim-forged')), { signal, onProgress: noProgress });
    assert.equal(refused.error?.code, 'unauthorized');
    assert.match(refused.error?.message ?? '', /\(HTTP 401\): .*Sign in again if this persists\.$/);
    assert.equal(bad.refreshes, 1, 'one renewal, then the refusal');
  });

  it(
    'an expired token is refreshed once and the call goes through; deleting while IM still creates waits until IM lets it',
    { timeout: 90_000 },
    async () => {
      const tokens = new ScriptedTokens([expiredCopy(b.alice), b.alice]);
      const t = target(tokens);
      const infrastructures = await t.client.list();
      assert.equal(tokens.refreshes, 1);
      assert.ok(Array.isArray(infrastructures));
      const plan = minioPlan(uniqueName('tim-expired'));
      const fresh = new ScriptedTokens([expiredCopy(b.alice), b.alice]);
      const events: ProgressEvent[] = [];
      const result = await target(fresh).apply(plan, { signal, onProgress: (event) => events.push(event) });
      const infrastructure = events.find((event) => event.type === 'infrastructure');
      assert.ok(infrastructure?.type === 'infrastructure');
      created.push({ target: t, id: infrastructure.id });
      assert.equal(result.outcome, 'succeeded', result.error?.message);
      assert.equal(fresh.refreshes, 1);

      // Without waiting for readiness IM is still building it: it answers a delete with 409 until it has finished.
      const said: string[] = [];
      const removed = await t.remove(
        { environmentId: plan.environment.id, namespace: plan.environment.namespace, infrastructureId: infrastructure.id },
        { signal, onProgress: (event) => said.push(event.text), waitMs: 60_000 },
      );
      assert.deepEqual(removed, { outcome: 'succeeded', gone: true }, said.join('\n'));
      await waitUntil(`namespace ${plan.environment.namespace} to go`, () => namespaceGone(plan.environment.namespace), 60_000, 500);
    },
  );
});
