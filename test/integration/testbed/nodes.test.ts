import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestbed } from '../../testbed/index';
import type { Testbed } from '../../testbed/index';
import { waitFor } from '../../testbed/net';

interface Node {
  metadata: { name: string; labels?: Record<string, string> };
  spec: { unschedulable?: boolean; taints?: { key: string; value?: string; effect: string }[] };
  status: { allocatable: Record<string, string> };
}

interface Pod {
  spec: { nodeName?: string };
  status: { phase?: string };
}

interface EventList {
  items: { reason: string; message: string; involvedObject: { name: string } }[];
}

// Node changes would disturb tests sharing the run's bed, so these use a bed of their own.
describe('node helpers and server restarts, on a private bed', { timeout: 240_000 }, () => {
  let bed: Testbed;

  before(async () => {
    bed = await startTestbed({ idp: false, im: false, dispatcher: false });
    await bed.kube.post('/api/v1/namespaces', { metadata: { name: 'nodes-test' } });
  });
  after(() => bed?.stop());

  const node = (name: string): Promise<Node> => bed.kube.get<Node>(`/api/v1/nodes/${name}`);

  async function createPod(name: string, cpu: string): Promise<void> {
    await waitFor('the default service account', () => bed.kube.find('/api/v1/namespaces/nodes-test/serviceaccounts/default'), {
      timeoutMs: 30_000,
    });
    await bed.kube.post('/api/v1/namespaces/nodes-test/pods', {
      metadata: { name },
      spec: { containers: [{ name: 'main', image: 'registry.example/app:1', resources: { requests: { cpu, memory: '1Gi' } } }] },
    });
  }

  const podNode = async (name: string): Promise<string | undefined> =>
    (await bed.kube.get<Pod>(`/api/v1/namespaces/nodes-test/pods/${name}`)).spec.nodeName;

  const refusals = async (name: string): Promise<string[]> =>
    (await bed.kube.get<EventList>('/api/v1/namespaces/nodes-test/events?fieldSelector=reason%3DFailedScheduling')).items
      .filter((item) => item.involvedObject.name === name)
      .map((item) => item.message);

  /**
   * Where the scheduler put the pod. Its first attempt may come before its cache
   * has the node just added and refuse; it retries once the node arrives, so a
   * refusal does not end the wait.
   */
  async function scheduledOn(name: string, cpu: string): Promise<string> {
    await createPod(name, cpu);
    return waitFor(`pod ${name} to be scheduled`, () => podNode(name), { timeoutMs: 30_000 });
  }

  /**
   * The scheduler's refusal that matches `expected`. An earlier attempt may have
   * seen the nodes before the latest cordon or taint and been refused for another
   * reason; the wait goes on until the refusal the test expects, and on timeout
   * the messages seen are in the assertion.
   */
  async function refusedWith(name: string, cpu: string, expected: RegExp): Promise<void> {
    await createPod(name, cpu);
    let seen: string[] = [];
    try {
      await waitFor(
        `pod ${name} to be refused`,
        async () => {
          const node = await podNode(name);
          if (node !== undefined) throw new Error(`scheduled on ${node}`);
          seen = await refusals(name);
          return seen.some((message) => expected.test(message)) ? true : undefined;
        },
        { timeoutMs: 30_000 },
      );
    } catch (error) {
      assert.fail(`${error instanceof Error ? error.message : String(error)}; refusals seen: ${JSON.stringify(seen)}`);
    }
  }

  test('the nodes are shaped like the Naples facility', async () => {
    const list = await bed.kube.get<{ items: Node[] }>('/api/v1/nodes');
    const shapes = Object.fromEntries(
      list.items.map((item) => [
        item.metadata.name,
        `${item.status.allocatable.cpu}/${item.status.allocatable.memory}/${item.status.allocatable.pods}`,
      ]),
    );
    assert.deepEqual(shapes, {
      'af-master': '32/64Gi/110',
      'af-worker-1': '8/16Gi/110',
      'af-worker-2': '8/16Gi/110',
      'af-worker-3': '8/16Gi/110',
      'af-worker-4': '8/16Gi/110',
      'af-worker-5': '8/16Gi/110',
    });
    assert.equal((await node('af-master')).metadata.labels?.['node-role.kubernetes.io/control-plane'], '');
  });

  test('an added node takes the pod no Naples node can hold; cordon and taints keep pods away', async () => {
    await bed.nodes.addNode({ name: 'af-big', cpu: '64', memory: '256Gi', labels: { 'afp.dev/pool': 'big' } });
    assert.equal(await scheduledOn('fits-big', '40'), 'af-big');

    await bed.nodes.cordon('af-big');
    assert.equal((await node('af-big')).spec.unschedulable, true);
    // The node lifecycle controller taints a cordoned node, so v1.35 may report either.
    await refusedWith(
      'cordoned',
      '40',
      /^0\/7 nodes are available: 1 node\(s\) (were unschedulable|had untolerated taint).*6 Insufficient cpu/,
    );

    await bed.nodes.uncordon('af-big');
    await bed.nodes.setTaints('af-big', [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
    // v1.35 words it "had untolerated taint(s)", without naming the taint.
    await refusedWith('tainted', '40', /^0\/7 nodes are available: 1 node\(s\) had untolerated taint/);

    await bed.nodes.setLabels('af-worker-1', { 'afp.dev/pool': 'small' });
    assert.equal((await node('af-worker-1')).metadata.labels?.['afp.dev/pool'], 'small');
    await bed.nodes.setLabels('af-worker-1', { 'afp.dev/pool': null });
    assert.equal((await node('af-worker-1')).metadata.labels?.['afp.dev/pool'], undefined);

    await bed.nodes.removeNode('af-big');
    assert.equal(await bed.kube.find('/api/v1/nodes/af-big'), undefined);
  });

  test('resetNodes puts back the starting shape', async () => {
    await bed.nodes.addNode({ name: 'af-extra', cpu: '4', memory: '8Gi' });
    await bed.nodes.cordon('af-worker-2');
    await bed.nodes.setTaints('af-worker-3', [{ key: 'maintenance', effect: 'NoExecute' }]);
    await bed.nodes.setLabels('af-worker-4', { zone: 'b' });
    await bed.nodes.removeNode('af-worker-5');

    await bed.nodes.resetNodes();
    const names = (await bed.nodes.listNodeNames()).sort();
    assert.deepEqual(names, ['af-master', 'af-worker-1', 'af-worker-2', 'af-worker-3', 'af-worker-4', 'af-worker-5']);
    assert.notEqual((await node('af-worker-2')).spec.unschedulable, true);
    assert.deepEqual(
      ((await node('af-worker-3')).spec.taints ?? []).filter((taint) => !taint.key.startsWith('node.kubernetes.io/')),
      [],
    );
    assert.equal((await node('af-worker-4')).metadata.labels?.zone, undefined);
  });

  test('the API server can be stopped and started again on the same address', async () => {
    const api = bed.servers.get('kube-apiserver');
    assert.ok(api);
    await api.stop();
    assert.equal(api.running(), false);
    await assert.rejects(bed.kube.get('/version'));
    await api.start();
    assert.equal(api.running(), true);
    assert.ok((await bed.kube.get<{ gitVersion: string }>('/version')).gitVersion.startsWith('v1.35'));
  });
});
