/**
 * The real IM (PyPI "IM", pinned) against the test bed: it verifies our IdP's
 * tokens, parses our TOSCA with its own reader, creates the workload on the
 * bed's API server through its Kubernetes connector, reports state and
 * outputs, and removes everything on DELETE.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { kubectl, kubectlJson, waitUntil } from '../../support/testbed';
import { imAuthorization, imLine, kubernetesLine } from '../../testbed/im/auth-header';
import { accessToken, imHeader, imRequest, imUnderTest, infrastructureState, minimalTosca, type ImUnderTest } from './support';

let im: ImUnderTest;
let alice: string;

before(async () => {
  im = await imUnderTest();
  alice = await accessToken(im.env, im.caPem, 'alice');
});

after(async () => {
  await im?.close();
});

interface Deployment {
  metadata: { name: string; namespace: string };
  spec: {
    template: {
      spec: { containers: { image: string; resources: { requests: Record<string, string>; limits: Record<string, string> } }[] };
    };
  };
}

describe('the real IM on the test bed', () => {
  it(
    'creates a pod from a minimal TOSCA, reports it configured with its outputs, and DELETE removes it',
    { timeout: 180_000 },
    async () => {
      const header = imHeader(im.env, alice);
      const created = await imRequest(`${im.url}/infrastructures`, 'POST', header, minimalTosca({ name: 'web' }));
      assert.equal(created.status, 200, created.body);
      const infId = created.headers.get('infid');
      assert.ok(infId, 'IM names the new infrastructure in the InfID header');
      assert.equal((JSON.parse(created.body) as { uri: string }).uri, `${im.url}/infrastructures/${infId}`);

      // Without a namespace in the TOSCA or the auth line, IM uses the infrastructure id as namespace.
      const deployments = await kubectlJson<{ items: Deployment[] }>(['get', 'deployments', '-n', infId]);
      assert.equal(deployments.items.length, 1);
      const [deployment] = deployments.items;
      assert.match(deployment?.metadata.name ?? '', /^web-[0-9a-f]{8}$/);
      const container = deployment?.spec.template.spec.containers[0];
      assert.equal(container?.image, 'nginx:1.27');
      assert.deepEqual(
        container?.resources.requests,
        { cpu: '500m', memory: '256M' },
        'IM sets requests = limits; "256 MB" is SI (256M), not 256Mi',
      );
      assert.deepEqual(container?.resources.limits, container?.resources.requests);

      await waitUntil(
        'IM to report the infrastructure configured',
        async () => (await infrastructureState(im.url, infId, header))?.state === 'configured',
        60_000,
        1000,
      );
      const pods = await kubectlJson<{ items: { status: { phase: string } }[] }>(['get', 'pods', '-n', infId]);
      assert.equal(pods.items[0]?.status.phase, 'Running');
      const outputs = await imRequest(`${im.url}/infrastructures/${infId}/outputs`, 'GET', header);
      assert.equal(outputs.status, 200, outputs.body);
      assert.deepEqual(JSON.parse(outputs.body), { outputs: { endpoint: `${deployment?.metadata.name}:80` } });

      const deleted = await imRequest(`${im.url}/infrastructures/${infId}`, 'DELETE', header);
      assert.equal(deleted.status, 200, deleted.body);
      await waitUntil(`namespace ${infId} to go`, async () => (await kubectl(['get', 'namespace', infId])).code !== 0, 90_000, 500);
      assert.equal((await imRequest(`${im.url}/infrastructures/${infId}/state`, 'GET', header)).status, 404);
    },
  );

  it('reports a pod that cannot be scheduled as pending, without the reason', { timeout: 120_000 }, async () => {
    const namespace = `afp-im-${randomBytes(3).toString('hex')}`;
    const header = imHeader(im.env, alice);
    const created = await imRequest(`${im.url}/infrastructures`, 'POST', header, minimalTosca({ name: 'huge', cpus: 40, namespace }));
    assert.equal(created.status, 200, created.body);
    const infId = created.headers.get('infid') ?? '';
    try {
      await waitUntil(
        'IM to report the pod pending',
        async () => (await infrastructureState(im.url, infId, header))?.vm_states['0'] === 'pending',
        30_000,
        1000,
      );
      const events = await kubectlJson<{ items: { reason: string; message: string }[] }>([
        'get',
        'events',
        '-n',
        namespace,
        '--field-selector',
        'reason=FailedScheduling',
      ]);
      assert.match(events.items[0]?.message ?? '', /Insufficient cpu/, 'the reason lives only in the Kubernetes event');
    } finally {
      const deleted = await imRequest(`${im.url}/infrastructures/${infId}`, 'DELETE', header);
      assert.equal(deleted.status, 200, deleted.body);
    }
    await waitUntil(`namespace ${namespace} to go`, async () => (await kubectl(['get', 'namespace', namespace])).code !== 0, 90_000, 500);
  });

  it('refuses a user outside the required group, a missing token and a token it cannot verify', { timeout: 60_000 }, async () => {
    const tosca = minimalTosca({ name: 'refused' });
    const bob = await accessToken(im.env, im.caPem, 'bob');
    const asBob = await imRequest(`${im.url}/infrastructures`, 'POST', imHeader(im.env, bob), tosca);
    assert.equal(asBob.status, 401);
    assert.match(asBob.body, /User not in configured groups/);

    const noToken = await imRequest(`${im.url}/infrastructures`, 'POST', undefined, tosca);
    assert.equal(noToken.status, 401);

    const forged = `${alice.split('.').slice(0, 2).join('.')}.${Buffer.from('not a signature').toString('base64url')}`;
    const withForged = await imRequest(`${im.url}/infrastructures`, 'POST', imHeader(im.env, forged), tosca);
    assert.equal(withForged.status, 401, 'IM asks the IdP (userinfo), which refuses a token with a bad signature');
  });

  it('rejects a TOSCA document its parser refuses, with the parser message', async () => {
    // IM's container types declare num_cpus a float, and TOSCA's float refuses an integer literal.
    const broken = minimalTosca({ name: 'broken' }).replace('num_cpus: 0.5', 'num_cpus: 1');
    const answer = await imRequest(`${im.url}/infrastructures`, 'POST', imHeader(im.env, alice), broken);
    assert.equal(answer.status, 400);
    const { message } = JSON.parse(answer.body) as { message: string };
    assert.match(message, /^Error parsing request body: Error parsing TOSCA template:/);
    assert.match(message, /ValueError: "1" is not a float\./);
  });

  it('reads the credentials as separate lines only when they are joined by backslash-n', async () => {
    const lines = [imLine(alice), kubernetesLine(im.env.apiServerUrl, im.env.adminToken)];
    const listed = await imRequest(`${im.url}/infrastructures`, 'GET', imAuthorization(lines));
    assert.equal(listed.status, 200, listed.body);
    // Joined any other way it is one line whose later `type = Kubernetes` replaces the IM credential.
    const oneLine = await imRequest(`${im.url}/infrastructures`, 'GET', imAuthorization(lines).replace('\\n', '; '));
    assert.equal(oneLine.status, 401);
    assert.match(oneLine.body, /No credentials provided for the InfrastructureManager/);
  });
});
