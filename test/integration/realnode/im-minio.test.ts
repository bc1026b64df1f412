/**
 * MinIO through the real IM and through the dispatcher (in front of the same
 * IM), landing on a real container node of the shared bed and serving S3 at
 * the link IM gives. IM cannot set tolerations or a node selector, so the
 * environment's namespace is prepared as a site admin would: annotated for the
 * API server's PodNodeSelector and PodTolerationRestriction admission plugins
 * (the bed enables both), every pod created in it is steered onto the real
 * nodes. IM finds the namespace there and deploys into it; it deletes only
 * namespaces it made, so this one outlives the environment and the test
 * removes it. IM pulls every image (imagePullPolicy: Always): the bed's
 * registry mirror serves them. IM links at the node's address because the
 * bed's IM counts the real nodes' range as public (PRIVATE_NET_MASKS).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kubectl, kubectlJson, waitUntil } from '../../support/testbed';
import { afp, imWorld, type ImWorld } from '../environments-im/support';
import { podsIn, uniqueName } from '../targets-im/support';
import { leftInNamespace, realNodeNamespace } from './im-namespace';
import { realNodes, skipWithoutRealNodes } from './real-node';
import { s3 } from './s3';

const MINIO = 'quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z';

let world: ImWorld;

before(async () => {
  if (skipWithoutRealNodes() === false) world = await imWorld();
});
after(async () => {
  await world?.close();
});

interface Pods {
  items: {
    spec: { nodeName?: string; containers: { env?: { name: string; value?: string }[] }[] };
    status: { hostIP?: string; containerStatuses?: { image: string; ready: boolean }[] };
  }[];
}

async function deployReachDelete(kind: 'im' | 'dispatcher'): Promise<void> {
  const real = realNodes();
  const name = uniqueName(`real-${kind === 'im' ? 'im' : 'disp'}`);
  const { dir, profileFile } = world;
  await realNodeNamespace(name, real);
  try {
    const deploy = await afp(
      ['deploy', 'minio', '--profile', profileFile, '--target', kind, '--name', name, '--wait', '--timeout', '180s'],
      dir,
    );
    assert.equal(deploy.code, 0, `${deploy.stdout}${deploy.stderr}`);
    assert.match(deploy.stdout, new RegExp(`^Environment ${name} is ready \\(1/1 containers configured\\)\\.`));

    const pods = await kubectlJson<Pods>(['get', 'pods', '-n', name]);
    assert.equal(pods.items.length, 1);
    const pod = pods.items[0]!;
    assert.ok(real.names.includes(pod.spec.nodeName ?? ''), `on a real node, not ${pod.spec.nodeName}`);
    assert.deepEqual(
      pod.status.containerStatuses?.map((status) => [status.image, status.ready]),
      [[MINIO, true]],
    );

    // IM's link: the node's own address (public to this IM) and the Service's node port.
    const status = await afp(['status', name, '--profile', profileFile, '--json'], dir);
    assert.equal(status.code, 0, `${status.stdout}${status.stderr}`);
    const seen = JSON.parse(status.stdout) as { status: { phase: string }; links: { id: string; url?: string }[] };
    assert.equal(seen.status.phase, 'Ready');
    const services = await kubectlJson<{ items: { spec: { ports: { port: number; nodePort?: number }[] } }[] }>([
      'get',
      'services',
      '-n',
      name,
    ]);
    const apiPort = services.items[0]?.spec.ports.find((port) => port.port === 9000)?.nodePort;
    const link = seen.links.find((entry) => entry.id === 'minio-api')?.url;
    assert.equal(link, `http://${pod.status.hostIP}:${apiPort}/`, JSON.stringify(seen.links));
    assert.match(pod.status.hostIP ?? '', /^10\.\d+\.0\.\d+$/, "a real node's address on the bed network");

    // S3 at that link with the keys the app generated (IM passes them as the container's environment).
    const env = new Map((pod.spec.containers[0]?.env ?? []).map((entry) => [entry.name, entry.value ?? '']));
    const keys = { accessKey: env.get('MINIO_ROOT_USER') ?? '', secretKey: env.get('MINIO_ROOT_PASSWORD') ?? '' };
    assert.ok(keys.accessKey.length >= 8 && keys.secretKey.length >= 20, 'generated keys');
    const url = new URL(link ?? '');
    const at = { host: url.hostname, port: Number(url.port) };
    await waitUntil(
      'MinIO to answer at the link',
      async () => (await s3(at, 'GET', '/minio/health/ready', '').catch(() => ({ status: 0 }))).status === 200,
      30_000,
      500,
    );
    assert.equal((await s3(at, 'PUT', '/physics', '', keys)).status, 200, 'bucket created');
    assert.equal((await s3(at, 'PUT', '/physics/result.txt', 'sigma = 42 pb\n', keys)).status, 200, 'object written');
    assert.deepEqual(await s3(at, 'GET', '/physics/result.txt', '', keys), { status: 200, body: 'sigma = 42 pb\n' });
    assert.equal(
      (await s3(at, 'GET', '/physics/result.txt', '', { ...keys, secretKey: 'not-the-password' })).status,
      403,
      'a wrong key is refused',
    );

    const deleted = await afp(['delete', name, '--profile', profileFile, '--wait', '--timeout', '90s'], dir);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, new RegExp(`Environment ${name} is gone`));
    await waitUntil(`MinIO's pod in ${name} to go`, async () => (await podsIn(name)).length === 0, 60_000, 500);
    assert.deepEqual(await leftInNamespace(name), [], 'IM removed everything it made');
  } finally {
    await afp(['delete', name, '--profile', profileFile], dir).catch(() => undefined);
    await kubectl(['delete', 'namespace', name, '--wait=false']);
  }
}

describe('real container node: MinIO through IM and the dispatcher', { skip: skipWithoutRealNodes(), concurrency: true }, () => {
  it('--target im: lands on a real node, configured, S3 at the link IM gives, deleted', { timeout: 300_000 }, () =>
    deployReachDelete('im'),
  );
  it('--target dispatcher: the same through the dispatcher', { timeout: 300_000 }, () => deployReachDelete('dispatcher'));
});
