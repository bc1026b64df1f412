/**
 * The physicist's sign-in through the site's identity provider, on real
 * container nodes: a site profile with hubLogin (the bed IdP's client for hubs,
 * its CA), a hub deployed with afp that reaches the IdP from its pod (at the
 * address the bed forwards for pods), alice, named by the owner, signs in
 * there and gets her server; bob, whom nobody named, is refused by the hub
 * although the IdP knows him.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hubSignInThroughIdp, startServer, type HubSession } from '../../support/jupyter';
import { kubectl, kubectlJson, testbedEnv } from '../../support/testbed';
import { deployIdpHub, journeyBed, signInAs, type IdpHub, type JourneyBed } from './support';

interface PodList {
  items: { metadata: { name: string; annotations?: Record<string, string> }; spec: { nodeName?: string } }[];
}

describe('the physicist signs in to the hub with the site’s identity provider, on real container nodes', { timeout: 900_000 }, () => {
  let bed: JourneyBed;
  let hub: IdpHub | undefined;
  let alice: HubSession;

  before(async () => {
    bed = await journeyBed();
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
    await bed?.stop();
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
