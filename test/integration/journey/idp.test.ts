/**
 * The physicist's sign-in through the site's identity provider, on real
 * container nodes: a site profile with hubLogin (the bed IdP's client for hubs,
 * its CA), a hub deployed with afp that reaches the IdP from its pod (at the
 * address the bed forwards for pods), alice, named by the owner, signs in
 * there and gets her server; bob, whom nobody named, is refused by the hub
 * although the IdP knows him. In the analysis facility, alice's server gets
 * storage keys of her own: the hub makes MinIO user hub-alice for her before
 * her server starts; her keys are not the root keys, make her bucket and
 * object, and MinIO's admin API refuses them. Both share one bed (starting
 * one costs about 1.5 min).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hubSignInThroughIdp, runPython, startServer, type HubSession } from '../../support/jupyter';
import { kubectl, kubectlJson, testbedEnv } from '../../support/testbed';
import { deployIdpHub, JOURNEY_VALUES, journeyBed, OWN_KEYS, signInAs, type IdpHub, type JourneyBed, type OwnKeysResult } from './support';

interface PodList {
  items: { metadata: { name: string; annotations?: Record<string, string> }; spec: { nodeName?: string } }[];
}

let bed: JourneyBed | undefined;
before(async () => {
  bed = await journeyBed();
});
after(async () => {
  await bed?.stop();
});

describe('the physicist signs in to the hub with the site’s identity provider, on real container nodes', { timeout: 900_000 }, () => {
  let hub: IdpHub | undefined;
  let alice: HubSession;

  before(async () => {
    const env = testbedEnv();
    assert.ok(env.idp?.hubClient !== undefined && env.realNodes?.idpUrl !== undefined, 'the bed has an IdP that pods reach');
    hub = await deployIdpHub('idp', 'jupyterhub', {
      users: '2',
      userCpu: '250m',
      userMemory: '1Gi',
      userStorage: '1Gi',
      hubUsers: 'alice',
    });
  });
  after(async () => {
    await hub?.stop();
  });

  test('alice, named by the owner, signs in through the identity provider and gets her server (a real pod)', async () => {
    const { name, base } = hub!;
    try {
      alice = await hubSignInThroughIdp(base, 'alice', signInAs('alice'));
    } catch (error) {
      const log = await kubectl(['logs', '-n', name, 'deployment/hub', '--tail', '30']);
      throw new Error(`${error instanceof Error ? error.message : String(error)}\nhub log:\n${log.stdout}${log.stderr}`);
    }
    assert.equal(alice.user, 'alice');
    await startServer(alice);
    const pods = await kubectlJson<PodList>(['get', 'pods', '-n', name, '-l', 'app.kubernetes.io/component=jupyter-user']);
    assert.deepEqual(
      pods.items.map((pod) => pod.metadata.annotations?.['hub.jupyter.org/username']),
      ['alice'],
      'KubeSpawner made alice’s pod',
    );
    assert.ok(testbedEnv().realNodes!.names.includes(pods.items[0]!.spec.nodeName ?? ''), 'on a real node');
  });

  test('alice is not the hub’s admin: the owner is', async () => {
    const users = await fetch(`${alice.base}/hub/api/users`, { headers: { authorization: `token ${alice.token}` } });
    assert.equal(users.status, 403, 'listing every user is the admin’s');
  });

  test('bob, whom the IdP knows but nobody named, is refused by the hub', async () => {
    await assert.rejects(hubSignInThroughIdp(hub!.base, 'bob', signInAs('bob')), /the hub refused bob's login: HTTP 403/);
  });
});

describe(
  'a named user’s storage keys in the analysis facility, signed in through the identity provider, on real container nodes',
  { timeout: 900_000 },
  () => {
    let hub: IdpHub | undefined;
    let alice: HubSession;

    before(async () => {
      hub = await deployIdpHub('idpkeys', 'analysis-facility', { ...JOURNEY_VALUES, workers: '0', hubUsers: 'alice' });
    });
    after(async () => {
      await hub?.stop();
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
