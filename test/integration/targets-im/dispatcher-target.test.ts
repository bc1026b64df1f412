/**
 * The dispatcher target against the bed's dispatcher (faithful to
 * infn-datacloud/im-connector) in front of the real IM: MinIO created with
 * the user's token in the dispatcher's JSON body, the infrastructure id
 * recorded from its answer, followed and deleted through IM directly or
 * through the dispatcher's IM proxy; without either, plainly unavailable.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { formatError } from '../../../main/errors';
import type { DispatcherTargetSection, ImTargetSection } from '../../../main/site/profile-schema';
import { dispatcherTarget, type DispatcherTarget } from '../../../main/targets/dispatcher';
import { imStatusSourceFactory } from '../../../main/targets/dispatcher';
import type { ProgressEvent } from '../../../main/targets/kinds/target';
import type { Observation } from '../../../main/tracking/views';
import { waitUntil } from '../../support/testbed';
import { bed, expiredCopy, minioPlan, namespaceGone, podsIn, recordFor, ScriptedTokens, uniqueName, userToken, type Bed } from './support';

let b: Bed;
let im: ImTargetSection;
const signal = new AbortController().signal;
const noProgress = (): void => undefined;

function settings(statusVia?: DispatcherTargetSection['statusVia']): DispatcherTargetSection {
  return {
    url: `${b.dispatcherUrl}/api/v1/deployments`,
    imUrl: b.imUrl,
    provider: { name: 'k8s', type: 'Kubernetes', endpoint: b.env.apiServerUrl },
    iaasToken: 'user',
    ...(statusVia === undefined ? {} : { statusVia }),
  };
}

before(async () => {
  b = await bed();
  im = { url: b.imUrl, authMode: 'token', kubernetesLine: { host: b.env.apiServerUrl, tokenFrom: 'user' } };
});

describe('the dispatcher target on the bed', () => {
  const leftovers: { target: DispatcherTarget; id: string }[] = [];
  after(async () => {
    for (const { target, id } of leftovers)
      await target.remove({ environmentId: id, namespace: '', infrastructureId: id }, { signal, onProgress: noProgress });
  });

  it(
    'creates MinIO through the dispatcher, follows it through IM to configured, shows links and log, and deletes it',
    { timeout: 150_000 },
    async () => {
      const tokens = new ScriptedTokens([b.alice]);
      const target = dispatcherTarget({ dispatcher: settings(), im, tokens, pollMs: 1000 });
      assert.equal(target.imUrl, b.imUrl, 'followed through IM, as the profile gives its URL');
      const plan = minioPlan(uniqueName('tdisp-minio'));
      const namespace = plan.environment.namespace;
      const events: ProgressEvent[] = [];
      const result = await target.apply(plan, { signal, onProgress: (event) => events.push(event), waitForReadyMs: 90_000 });
      const infrastructure = events.find((event) => event.type === 'infrastructure');
      assert.ok(infrastructure?.type === 'infrastructure');
      leftovers.push({ target, id: infrastructure.id });
      assert.equal(result.outcome, 'succeeded', result.error === undefined ? '' : formatError(result.error));
      assert.match(infrastructure.text, /^the dispatcher at http:\/\/127\.0\.0\.1:\d+ accepted the environment as infrastructure /);
      assert.equal(infrastructure.uri, `${b.imUrl}/infrastructures/${infrastructure.id}`);
      assert.equal(result.readiness?.ready, true);
      assert.equal((await podsIn(namespace))[0]?.phase, 'Running');

      const record = recordFor(plan, {
        kind: 'dispatcher',
        dispatcherUrl: settings().url,
        imUrl: b.imUrl,
        infrastructureId: infrastructure.id,
      });
      const source = imStatusSourceFactory({ tokens, profile: () => ({ dispatcher: settings(), im }) })(record);
      assert.ok(source !== undefined);
      let seen: Observation | undefined;
      source.start(() => undefined);
      try {
        await waitUntil('the first observation', () => Promise.resolve((seen = source.observe(record)) !== undefined), 15_000, 100);
      } finally {
        source.dispose();
      }
      assert.equal(seen?.phase, 'Ready', seen?.message);
      assert.match(seen?.links.find((link) => link.id === 'minio-console')?.url ?? '', /^http:\/\/127\.0\.1\.\d+:3\d{4}\/$/); // the pod's host: a simulated node's loopback address
      assert.match(await target.logs(infrastructure.id, signal), /Contextualization disabled/);

      // The dispatcher's own IM proxy reads the same infrastructure.
      const viaProxy = dispatcherTarget({ dispatcher: settings('proxy'), tokens, pollMs: 1000 });
      assert.equal(viaProxy.imUrl, b.dispatcherUrl);
      assert.equal(
        (await viaProxy.existing({ id: plan.environment.id, namespace, infrastructureId: infrastructure.id }, { signal })).presence,
        'ours',
      );

      const removed = await target.remove(
        { environmentId: plan.environment.id, namespace, infrastructureId: infrastructure.id },
        { signal, onProgress: noProgress, waitMs: 30_000 },
      );
      assert.deepEqual(removed, { outcome: 'succeeded', gone: true });
      await waitUntil(`namespace ${namespace} to go`, () => namespaceGone(namespace), 60_000, 500);
      assert.equal(tokens.refreshes, 0);
    },
  );

  it(
    "without IM's URL or the proxy in the profile: created and recorded, but status, log and delete are plainly unavailable",
    { timeout: 60_000 },
    async () => {
      const tokens = new ScriptedTokens([b.alice]);
      const target = dispatcherTarget({ dispatcher: settings(), tokens, pollMs: 1000 });
      assert.equal(target.follow, undefined);
      const plan = minioPlan(uniqueName('tdisp-blind'));
      const events: ProgressEvent[] = [];
      const result = await target.apply(plan, { signal, onProgress: (event) => events.push(event), waitForReadyMs: 30_000 });
      const infrastructure = events.find((event) => event.type === 'infrastructure');
      assert.ok(infrastructure?.type === 'infrastructure');
      leftovers.push({ target: dispatcherTarget({ dispatcher: settings(), im, tokens }), id: infrastructure.id });
      assert.equal(result.outcome, 'succeeded');
      assert.deepEqual(result.readiness, {
        ready: false,
        text: "not followed: this site's dispatcher offers no way to read the infrastructure's state",
        // The same words as a message, said in the user's language on the Deploy page.
        said: { id: 'imDeploy.notFollowed', text: "not followed: this site's dispatcher offers no way to read the infrastructure's state" },
      });

      const plain =
        /this site's dispatcher does not offer it: the site profile gives no IM URL to read the infrastructure from \(targets\.im\.url\) and no dispatcher proxy \(targets\.dispatcher\.statusVia\)\.$/;
      await assert.rejects(
        target.logs(infrastructure.id, signal),
        (error: unknown) => error instanceof Error && plain.test(error.message) && (error as { code?: string }).code === 'unavailable',
      );
      const removed = await target.remove(
        { environmentId: plan.environment.id, namespace: plan.environment.namespace, infrastructureId: infrastructure.id },
        { signal, onProgress: noProgress },
      );
      assert.equal(removed.outcome, 'failed');
      assert.equal(removed.error?.code, 'unavailable');
      assert.match(removed.error?.message ?? '', plain);
      const source = imStatusSourceFactory({ tokens, profile: () => ({ dispatcher: settings() }) })(
        recordFor(plan, { kind: 'dispatcher', dispatcherUrl: settings().url, infrastructureId: infrastructure.id }),
      );
      source?.start(() => undefined);
      const observed = source?.observe(
        recordFor(plan, { kind: 'dispatcher', dispatcherUrl: settings().url, infrastructureId: infrastructure.id }),
      );
      source?.dispose();
      assert.equal(observed?.phase, 'Unknown');
      assert.match(observed?.message ?? '', /^Status not available: this site's dispatcher does not offer it/);
    },
  );

  it('a dispatcher that is down: asked again with backoff, then a plain message; nothing recorded', { timeout: 30_000 }, async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
      });
    });
    const tokens = new ScriptedTokens([b.alice]);
    const target = dispatcherTarget({
      dispatcher: { ...settings(), url: `http://127.0.0.1:${closed}/api/v1/deployments` },
      im,
      tokens,
      retry: { attempts: 3, backoff: { initialMs: 100, maxMs: 200 } },
    });
    const events: ProgressEvent[] = [];
    const result = await target.apply(minioPlan(uniqueName('tdisp-down')), { signal, onProgress: (event) => events.push(event) });
    assert.equal(result.outcome, 'failed');
    assert.equal(result.error?.code, 'unavailable');
    assert.equal(
      result.error?.message,
      `The dispatcher at http://127.0.0.1:${closed} could not create the infrastructure: the connection was refused (is it running?).`,
    );
    assert.equal(events.filter((event) => event.type === 'phase' && /Trying again in/.test(event.text)).length, 2, 'two more attempts');
    assert.equal(
      events.some((event) => event.type === 'infrastructure'),
      false,
    );
  });

  it(
    "an expired token (the dispatcher answers 403) is renewed once; a user IM refuses gets the refusal without IM's words, which the dispatcher drops",
    { timeout: 60_000 },
    async () => {
      const tokens = new ScriptedTokens([expiredCopy(b.alice), b.alice]);
      const target = dispatcherTarget({ dispatcher: settings(), im, tokens, pollMs: 1000 });
      const events: ProgressEvent[] = [];
      const result = await target.apply(minioPlan(uniqueName('tdisp-expired')), { signal, onProgress: (event) => events.push(event) });
      const infrastructure = events.find((event) => event.type === 'infrastructure');
      if (infrastructure?.type === 'infrastructure') leftovers.push({ target, id: infrastructure.id });
      assert.equal(result.outcome, 'succeeded', result.error?.message);
      assert.equal(tokens.refreshes, 1);

      const bob = new ScriptedTokens([await userToken(b, 'bob')]);
      const refused = await dispatcherTarget({ dispatcher: settings(), im, tokens: bob }).apply(minioPlan(uniqueName('tdisp-bob')), {
        signal,
        onProgress: noProgress,
      });
      assert.equal(refused.error?.code, 'unauthorized');
      assert.match(
        refused.error?.message ?? '',
        /IM refused the token or the user \(for instance not in its required group\) \(HTTP 401 Unauthorized\); the dispatcher does not pass on IM's own message\.$/,
      );
      assert.equal(bob.refreshes, 1, 'renewed once, then reported');
    },
  );
});
