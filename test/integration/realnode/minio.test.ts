import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { afp } from '../../support/afp';
import { startTestbed } from '../../testbed/index';
import { waitFor } from '../../testbed/net';
import { bedLeftovers } from '../../testbed/stale';
import { portForward, skipWithoutRealNodes } from './real-node';
import { s3 } from './s3';

interface PodList {
  items: { spec: { nodeName?: string }; status: { containerStatuses?: { image: string; ready: boolean }[] } }[];
}

describe('real container node: MinIO deployed with afp', { skip: skipWithoutRealNodes(), timeout: 600_000 }, () => {
  test('`afp deploy minio --wait` lands on the real node with the locally built image, and S3 answers with the generated keys', async (t) => {
    // A bed of one real node only (untainted, local-path the default class), as a person's cluster would be.
    const bed = await startTestbed({
      idp: false,
      im: false,
      dispatcher: false,
      realNodes: 1,
      kwokNodes: false,
      realNodeImages: ['pause', 'minio'],
    });
    const config = mkdtempSync(join(tmpdir(), 'afp-minio-config-'));
    const previousConfig = process.env.AFP_CONFIG_DIR;
    process.env.AFP_CONFIG_DIR = config;
    t.after(async () => {
      if (previousConfig === undefined) delete process.env.AFP_CONFIG_DIR;
      else process.env.AFP_CONFIG_DIR = previousConfig;
      await bed.stop();
      assert.deepEqual(await bedLeftovers(bed.dir, bed.env.realNodes?.record), []);
      rmSync(config, { recursive: true, force: true });
    });
    const kubeconfig = bed.env.adminKubeconfig;

    const deploy = await afp(['deploy', 'minio', '--kubeconfig', kubeconfig, '--name', 'data', '--set', 'storage=1Gi', '--wait']);
    assert.equal(deploy.code, 0, deploy.stderr);
    const pods = await bed.kube.get<PodList>('/api/v1/namespaces/data/pods');
    assert.equal(pods.items[0]?.spec.nodeName, 'afp-real-1');
    assert.deepEqual(
      pods.items[0]?.status.containerStatuses?.map((status) => [status.image, status.ready]),
      [['quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z', true]],
    );

    const secret = await bed.kube.get<{ data: { user: string; password: string } }>('/api/v1/namespaces/data/secrets/minio-root');
    const keys = {
      accessKey: Buffer.from(secret.data.user, 'base64').toString('utf8'),
      secretKey: Buffer.from(secret.data.password, 'base64').toString('utf8'),
    };
    const forward = await portForward('data', 'svc/minio', 9000, bed.env);
    try {
      await waitFor(
        'MinIO to answer through the port-forward',
        async () => ((await s3(forward.port, 'GET', '/minio/health/ready', '')).status === 200 ? true : undefined),
        { timeoutMs: 30_000, intervalMs: 250 },
      );
      assert.equal((await s3(forward.port, 'PUT', '/physics', '', keys)).status, 200, 'bucket created');
      assert.equal((await s3(forward.port, 'PUT', '/physics/result.txt', 'sigma = 42 pb\n', keys)).status, 200, 'object written');
      assert.deepEqual(await s3(forward.port, 'GET', '/physics/result.txt', '', keys), { status: 200, body: 'sigma = 42 pb\n' });
      assert.equal((await s3(forward.port, 'GET', '/physics/result.txt', '')).status, 403, 'anonymous reads are refused');
      const wrong = await s3(forward.port, 'GET', '/physics/result.txt', '', { ...keys, secretKey: 'not-the-password' });
      assert.equal(wrong.status, 403, 'a wrong secret key is refused');
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}; kubectl port-forward said:\n${forward.output()}`, {
        cause: error,
      });
    } finally {
      forward.stop();
    }

    const removed = await afp(['delete', 'data', '--wait']);
    assert.equal(removed.code, 0, removed.stderr);
    await waitFor(
      'namespace data to be gone',
      async () => ((await bed.kube.find('/api/v1/namespaces/data')) === undefined ? true : undefined),
      {
        timeoutMs: 60_000,
      },
    );
  });
});
