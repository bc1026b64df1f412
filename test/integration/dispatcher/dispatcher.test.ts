/**
 * Our dispatcher stand-in in front of the real IM: it takes the JSON body of
 * infn-datacloud/im-connector, refuses requests without a valid JWT from the
 * trusted IdP, writes IM's Authorization header, and returns IM's answer; its
 * /infrastructures proxy reaches IM unchanged.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { kubectl, kubectlJson, waitUntil } from '../../support/testbed';
import { startDispatcher } from '../../testbed/dispatcher';
import { dispatcherAuthorization, type DeploymentCreate } from '../../testbed/dispatcher/deployments';
import { accessToken, imHeader, imRequest, imUnderTest, infrastructureState, minimalTosca, type ImUnderTest } from '../im/support';

let im: ImUnderTest;
let dispatcherUrl: string;
let stopDispatcher: () => Promise<void> = () => Promise.resolve();
let alice: string;

before(async () => {
  im = await imUnderTest();
  if (im.env.dispatcherUrl !== undefined && im.env.imUrl !== undefined) {
    dispatcherUrl = im.env.dispatcherUrl;
  } else {
    const dispatcher = await startDispatcher({
      ca: { certPath: im.env.caPath },
      logDir: im.env.logDir,
      imUrl: im.url,
      issuer: im.env.idp?.issuer ?? '',
    });
    dispatcherUrl = dispatcher.url;
    stopDispatcher = () => dispatcher.stop();
  }
  alice = await accessToken(im.env, im.caPem, 'alice');
});

after(async () => {
  await stopDispatcher();
  await im?.close();
});

function deployment(userToken: string, tosca: string): DeploymentCreate {
  return {
    im_url: `${im.url}/infrastructures`,
    im_access_token: userToken,
    iaas_access_token: im.env.adminToken,
    tosca_template: tosca,
    provider_name: 'k8s',
    provider_endpoint: im.env.apiServerUrl,
    provider_type: 'Kubernetes',
  };
}

async function post(body: unknown, authorization?: string): Promise<{ status: number; text: string; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  const response = await fetch(`${dispatcherUrl}/api/v1/deployments`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

describe('dispatcher in front of the real IM', () => {
  it('writes the header as im-connector does: IM line without id, quoted provider type, lines joined by backslash-n', () => {
    const header = dispatcherAuthorization({
      ...deployment('USER', ''),
      iaas_access_token: 'KUBE',
      provider_endpoint: 'https://127.0.0.1:6443',
    });
    assert.equal(
      header,
      "type = InfrastructureManager; token = USER\\nid = k8s; type = 'Kubernetes'; host = https://127.0.0.1:6443/; token = KUBE",
    );
  });

  it(
    'forwards a TOSCA with the user JWT to IM, which creates the pod as alice; status and delete go through its IM proxy',
    { timeout: 180_000 },
    async () => {
      const namespace = `afp-disp-${randomBytes(3).toString('hex')}`;
      const answer = await post(deployment(alice, minimalTosca({ name: 'web', namespace })), `Bearer ${alice}`);
      assert.equal(answer.status, 200, answer.text);
      const infId = answer.headers.get('infid');
      assert.ok(infId, "IM's InfID header is passed through");
      // python-requests asks for */*, so IM answers with its plain text/uri-list.
      assert.match(answer.headers.get('content-type') ?? '', /^text\/uri-list/);
      assert.equal(answer.text, `${im.url}/infrastructures/${infId}`);

      const header = imHeader(im.env, alice);
      const owners = await imRequest(`${dispatcherUrl}/infrastructures/${infId}/authorization`, 'GET', header);
      assert.equal(owners.status, 200, owners.body);
      assert.deepEqual(JSON.parse(owners.body), { authorization: ['__OPENID__alice'] }, "IM's line carried alice's token");
      const deployments = await kubectlJson<{ items: unknown[] }>(['get', 'deployments', '-n', namespace]);
      assert.equal(deployments.items.length, 1, "the Kubernetes line reached the bed's API server");

      await waitUntil(
        'IM to report the infrastructure configured',
        async () => (await infrastructureState(dispatcherUrl, infId, header))?.state === 'configured',
        60_000,
        1000,
      );
      const deleted = await imRequest(`${dispatcherUrl}/infrastructures/${infId}`, 'DELETE', header);
      assert.equal(deleted.status, 200, deleted.body);
      await waitUntil(`namespace ${namespace} to go`, async () => (await kubectl(['get', 'namespace', namespace])).code !== 0, 90_000, 500);
    },
  );

  it('refuses a request without a valid JWT before anything reaches IM', async () => {
    const namespace = `afp-refused-${randomBytes(3).toString('hex')}`;
    const body = deployment(alice, minimalTosca({ name: 'refused', namespace }));

    const none = await post(body);
    assert.equal(none.status, 403);
    assert.deepEqual(JSON.parse(none.text), { detail: 'Not authenticated' });

    const basic = await post(body, `Basic ${Buffer.from('alice:x').toString('base64')}`);
    assert.equal(basic.status, 403);

    const [head, payload] = alice.split('.');
    const badSignature = await post(body, `Bearer ${head}.${payload}.${Buffer.from('forged').toString('base64url')}`);
    assert.equal(badSignature.status, 403);
    assert.match(
      (JSON.parse(badSignature.text) as { detail: { error_description: string } }).detail.error_description,
      /^Could not verify JWT/,
    );

    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const stranger = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer('https://idp.elsewhere.example')
      .setExpirationTime('5m')
      .sign(privateKey);
    const untrusted = await post(body, `Bearer ${stranger}`);
    assert.equal(untrusted.status, 403);
    assert.deepEqual(JSON.parse(untrusted.text), {
      detail: { error: 'Unauthenticated', error_description: 'Issuer is not trusted: https://idp.elsewhere.example' },
    });

    assert.notEqual((await kubectl(['get', 'namespace', namespace])).code, 0, 'IM created nothing');
  });

  it("returns IM's refusal with IM's status and only the reason phrase", async () => {
    const bob = await accessToken(im.env, im.caPem, 'bob');
    const answer = await post(deployment(bob, minimalTosca({ name: 'bobs' })), `Bearer ${bob}`);
    assert.equal(answer.status, 401, 'bob is not in af-users, which IM requires');
    assert.deepEqual(JSON.parse(answer.text), { detail: 'Unauthorized' });
  });

  it('answers 422 in FastAPI form for a body without the TOSCA', async () => {
    const { tosca_template: _dropped, ...incomplete } = deployment(alice, '');
    const answer = await post(incomplete, `Bearer ${alice}`);
    assert.equal(answer.status, 422);
    const detail = (JSON.parse(answer.text) as { detail: { type: string; loc: string[] }[] }).detail;
    assert.deepEqual(
      detail.map((issue) => [issue.type, issue.loc.join('.')]),
      [['missing', 'body.tosca_template']],
    );
  });
});
