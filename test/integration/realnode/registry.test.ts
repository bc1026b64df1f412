/**
 * The bed's registry mirror (test/testbed/node/registry.ts): a Deployment whose pod must
 * pull (`imagePullPolicy: Always`, as IM writes it) runs on a real node from
 * the locally built image, resolved through the mirror; an image the mirror
 * lacks fails as "not found" at the mirror, never by reaching for the internet.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kubectlJson, waitUntil, withNamespace } from '../../support/testbed';
import { apply, realNodes, skipWithoutRealNodes, waitReady } from './real-node';

const MINIO = 'quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z';

/** A Deployment as IM writes one: the image pulled every time. */
function alwaysPull(name: string, image: string): object {
  const real = realNodes();
  const [key, value] = real.label.split('=') as [string, string];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          nodeSelector: { [key]: value },
          tolerations: real.taint === undefined ? [] : [{ key: real.taint.key, operator: 'Exists' }],
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'main', image, imagePullPolicy: 'Always', command: ['minio', 'server', '/tmp/data'] }],
        },
      },
    },
  };
}

/** The name of the Deployment's pod, once there is one. */
async function podOf(namespace: string, app: string): Promise<string> {
  let name = '';
  await waitUntil(
    `a pod of ${app}`,
    async () => {
      const pods = await kubectlJson<{ items: { metadata: { name: string } }[] }>(['get', 'pods', '-n', namespace, '-l', `app=${app}`]);
      name = pods.items[0]?.metadata.name ?? '';
      return name !== '';
    },
    30_000,
    250,
  );
  return name;
}

interface EventList {
  items: { reason: string; message: string }[];
}

async function events(namespace: string, pod: string): Promise<EventList['items']> {
  return (await kubectlJson<EventList>(['get', 'events', '-n', namespace, '--field-selector', `involvedObject.name=${pod}`])).items;
}

describe('real container node: the registry mirror', { skip: skipWithoutRealNodes(), timeout: 120_000 }, () => {
  test('a Deployment with imagePullPolicy Always pulls the locally built image through the mirror and runs', async (t) => {
    const real = realNodes();
    assert.ok(real.registry !== undefined, 'the bed names its registry mirror');
    assert.match(real.registry, /^10\.\d+\.0\.2:5000$/, "in the bed's own network");
    const manifest = await fetch(`http://${real.registry}/v2/quay.io/minio/minio/manifests/RELEASE.2025-04-22T22-12-26Z`, {
      headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    assert.equal(manifest.status, 200, 'the mirror serves MinIO under its pinned reference');

    const ns = await withNamespace(t, 'real-registry');
    await apply(ns, alwaysPull('minio', MINIO));
    const pod = await podOf(ns, 'minio');
    const ready = await waitReady(ns, pod, 60_000);
    assert.ok(real.names.includes(ready.spec.nodeName ?? ''));
    const pulled = (await events(ns, pod)).find((event) => event.reason === 'Pulled');
    assert.match(pulled?.message ?? '', new RegExp(`^Successfully pulled image "${MINIO.replace(/[.]/g, '\\.')}"`));
  });

  test('an image the mirror lacks is "not found" there; nothing reaches for the real registry', async (t) => {
    const ns = await withNamespace(t, 'real-registry-missing');
    await apply(ns, alwaysPull('absent', 'docker.io/library/nginx:1.27'));
    const pod = await podOf(ns, 'absent');
    let failure = '';
    await waitUntil(
      'the pull to fail',
      async () => {
        failure = (await events(ns, pod)).find((event) => event.reason === 'Failed' && /Failed to pull/.test(event.message))?.message ?? '';
        return failure !== '';
      },
      60_000,
      500,
    );
    assert.match(failure, /docker\.io\/library\/nginx:1\.27: not found/);
    assert.doesNotMatch(failure, /lookup|unreachable|dial tcp/);
  });
});
