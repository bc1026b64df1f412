import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kubectlJson, kubectlOk, waitUntil, withNamespace } from '../../support/testbed';

interface Pod {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { nodeName?: string };
  status: {
    phase?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: { restartCount: number; state: { waiting?: { reason: string; message?: string } } }[];
  };
}

interface Event {
  reason: string;
  message: string;
  involvedObject: { name: string };
}

const podList = (namespace: string): Promise<{ items: Pod[] }> => kubectlJson<{ items: Pod[] }>(['get', 'pods', '-n', namespace]);

function pod(name: string, extra: { cpu?: string; annotations?: Record<string, string> } = {}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, annotations: extra.annotations ?? {} },
    spec: {
      containers: [
        { name: 'main', image: 'registry.example/app:1.0', resources: { requests: { cpu: extra.cpu ?? '100m', memory: '64Mi' } } },
      ],
    },
  });
}

test('a Deployment applied with kubectl becomes Ready on the kwok nodes', async (t) => {
  const namespace = await withNamespace(t, 'deploy');
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '500m', memory: '256Mi' } } }] },
      },
    },
  };
  await kubectlOk(['apply', '-n', namespace, '-f', '-'], { input: JSON.stringify(deployment) });
  await kubectlOk(['rollout', 'status', 'deployment/web', '-n', namespace, '--timeout=60s']);

  const available = await kubectlJson<{ status: { readyReplicas?: number; availableReplicas?: number } }>([
    'get',
    'deployment',
    'web',
    '-n',
    namespace,
  ]);
  assert.equal(available.status.readyReplicas, 3);
  const pods = await podList(namespace);
  assert.equal(pods.items.length, 3);
  const nodes = new Set(
    (await kubectlJson<{ items: { metadata: { name: string } }[] }>(['get', 'nodes'])).items.map((node) => node.metadata.name),
  );
  for (const item of pods.items) {
    assert.equal(item.status.phase, 'Running');
    assert.ok(item.spec.nodeName !== undefined && nodes.has(item.spec.nodeName), `${item.metadata.name} runs on a test-bed node`);
    assert.ok(item.status.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True'));
  }
});

test('a pod asking for 40 CPU stays Pending and the scheduler says why', async (t) => {
  const namespace = await withNamespace(t, 'toobig');
  await kubectlOk(['apply', '-n', namespace, '-f', '-'], { input: pod('huge', { cpu: '40' }) });

  let message = '';
  await waitUntil('a FailedScheduling event for pod huge', async () => {
    const events = await kubectlJson<{ items: Event[] }>(['get', 'events', '-n', namespace, '--field-selector', 'reason=FailedScheduling']);
    message = events.items.find((event) => event.involvedObject.name === 'huge')?.message ?? '';
    return message !== '';
  });
  // Other suites may add nodes to the shared bed meanwhile; the six Naples nodes are always there, none with 40 CPU free.
  const counted = /^0\/(\d+) nodes are available: .*\b(\d+) Insufficient cpu/.exec(message);
  assert.ok(counted !== null, `FailedScheduling says: ${message}`);
  assert.ok(Number(counted[1]) >= 6 && Number(counted[2]) >= 6, message);
  const huge = await kubectlJson<Pod>(['get', 'pod', 'huge', '-n', namespace]);
  assert.equal(huge.status.phase, 'Pending');
  assert.equal(huge.spec.nodeName, undefined);
});

test('afp.dev/simulate: image-pull-failure ends in ImagePullBackOff', async (t) => {
  const namespace = await withNamespace(t, 'pull');
  await kubectlOk(['apply', '-n', namespace, '-f', '-'], {
    input: pod('nopull', { annotations: { 'afp.dev/simulate': 'image-pull-failure' } }),
  });
  const reasons = new Set<string>();
  await waitUntil('container waiting in ImagePullBackOff', async () => {
    const current = await kubectlJson<Pod>(['get', 'pod', 'nopull', '-n', namespace]);
    const reason = current.status.containerStatuses?.[0]?.state.waiting?.reason;
    if (reason !== undefined) reasons.add(reason);
    return reason === 'ImagePullBackOff';
  });
  const final = await kubectlJson<Pod>(['get', 'pod', 'nopull', '-n', namespace]);
  assert.equal(final.status.phase, 'Pending');
  assert.match(final.status.containerStatuses?.[0]?.state.waiting?.message ?? '', /Back-off pulling image "registry\.example\/app:1\.0"/);
});

test('afp.dev/simulate: crash-loop gives CrashLoopBackOff with restarts counting up', async (t) => {
  const namespace = await withNamespace(t, 'crash');
  await kubectlOk(['apply', '-n', namespace, '-f', '-'], { input: pod('crashy', { annotations: { 'afp.dev/simulate': 'crash-loop' } }) });
  await waitUntil('a second restart in CrashLoopBackOff', async () => {
    const current = await kubectlJson<Pod>(['get', 'pod', 'crashy', '-n', namespace]);
    const status = current.status.containerStatuses?.[0];
    return status?.state.waiting?.reason === 'CrashLoopBackOff' && status.restartCount >= 2;
  });
  const crashy = await kubectlJson<Pod>(['get', 'pod', 'crashy', '-n', namespace]);
  assert.equal(crashy.status.phase, 'Running');
  assert.ok(crashy.status.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'False'));
});

test('deleting a pod completes', async (t) => {
  const namespace = await withNamespace(t, 'delete');
  await kubectlOk(['apply', '-n', namespace, '-f', '-'], { input: pod('short') });
  await kubectlOk(['wait', '--for=condition=Ready', 'pod/short', '-n', namespace, '--timeout=30s']);
  await kubectlOk(['delete', 'pod', 'short', '-n', namespace, '--timeout=20s']);
  assert.equal((await podList(namespace)).items.length, 0);
});
