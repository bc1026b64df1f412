/**
 * A user the owner named, signed in through the site's identity provider,
 * gets storage keys of her own in the analysis facility, on real container
 * nodes: the hub makes MinIO user hub-alice for alice before her server starts;
 * her server's keys are not the root keys, make her bucket and object, and
 * MinIO's admin API refuses them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hubSignInThroughIdp, runPython, startServer, type HubSession } from '../../support/jupyter';
import { kubectl, kubectlJson } from '../../support/testbed';
import { deployIdpHub, JOURNEY_VALUES, journeyBed, OWN_KEYS, signInAs, type IdpHub, type JourneyBed, type OwnKeysResult } from './support';

describe(
  'a named user’s storage keys in the analysis facility, signed in through the identity provider, on real container nodes',
  { timeout: 900_000 },
  () => {
    let bed: JourneyBed;
    let hub: IdpHub | undefined;
    let alice: HubSession;

    before(async () => {
      bed = await journeyBed();
      hub = await deployIdpHub('idpkeys', 'analysis-facility', { ...JOURNEY_VALUES, workers: '0', hubUsers: 'alice' });
    });
    after(async () => {
      await hub?.stop();
      await bed?.stop();
    });

    test('alice’s server holds MinIO user hub-alice: not root, her bucket and object work, the admin API refuses her', async () => {
      const { name, base } = hub!;
      alice = await hubSignInThroughIdp(base, 'alice', signInAs('alice'));
      await startServer(alice);
      const run = await runPython(alice, OWN_KEYS);
      assert.equal(run.error, undefined, `${run.error}\n${run.stderr}`);
      const own = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as OwnKeysResult;
      assert.equal(own.admin.status, 403, `MinIO's admin API (list users) refuses alice's keys: ${JSON.stringify(own.admin)}`);
      assert.equal(own.accessKey, 'hub-alice');
      const root = Buffer.from(
        (await kubectl(['get', 'secret', 'minio-root', '-n', name, '-o', 'jsonpath={.data.user}'])).stdout,
        'base64',
      ).toString('utf8');
      assert.ok(root.length > 0 && own.accessKey !== root, 'not the root user');
      assert.equal(own.readBack, 'hello');
      const pods = await kubectlJson<{ items: unknown[] }>(['get', 'pods', '-n', name, '-l', 'app.kubernetes.io/component=jupyter-user']);
      assert.equal(pods.items.length, 1);
      assert.doesNotMatch(JSON.stringify(pods.items), /minio-root/, "alice's pod refers to no root Secret");
    });
  },
);
