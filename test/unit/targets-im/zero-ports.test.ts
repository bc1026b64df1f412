/**
 * IM 2.0.0 links every published container but the last at port 0; the
 * assigned node port sits in the container's RADL, in its last public
 * network (IM's setOutPort). The RADLs here are as IM answers
 * GET …/vms/<n> for the analysis facility's two labs (radl's dump_radl: the
 * infrastructure's networks, then the container's system). The real IM:
 * test/integration/realnode/im-af.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LinkRecord } from '../../../main/inventory/record';
import { mendZeroPorts, recordedNodePort } from '../../../main/targets/im/zero-ports';

// As the bed's IM 2.0.0 answered (test/integration/realnode/im-af.test.ts's deployment; systems cut to their ids).
const networks = (alice: string, bob: string): Record<string, unknown>[] => [
  { class: 'network', id: 'scheduler-277a5078_priv', outbound: 'no', outports: '8786/tcp-8786/tcp' },
  { class: 'network', id: 'lab-alice-277a5078_pub', outbound: 'yes', outports: alice },
  { class: 'network', id: 'lab-bob-277a5078_pub', outbound: 'yes', outports: bob },
];
// Alice's container was created first: her node port went into bob's network of her RADL, hers kept 0.
const RADLS: Record<string, Record<string, unknown>[]> = {
  '0': [...networks('0/tcp-8888/tcp', '31001-8888'), { class: 'system', id: 'lab-alice-277a5078' }],
  '1': [...networks('0/tcp-8888/tcp', '31002-8888'), { class: 'system', id: 'lab-bob-277a5078' }],
  '2': [...networks('0/tcp-8888/tcp', '0/tcp-8888/tcp'), { class: 'system', id: 'scheduler-277a5078' }],
};

const lab = (user: string): LinkRecord => ({
  id: `lab-${user}`,
  title: `JupyterLab (${user})`,
  component: `lab-${user}`,
  service: `lab-${user}`,
  port: 8888,
  path: '/lab',
  scheme: 'http',
  expose: 'nodeport',
});

function client(asked: string[]) {
  return {
    vmRadl: (_id: string, vm: string): Promise<Record<string, unknown>[]> => {
      asked.push(vm);
      return Promise.resolve(RADLS[vm] ?? []);
    },
  };
}

describe("IM's port 0, mended from the container's RADL", () => {
  it('reads the node port IM recorded for a port in the last public network', () => {
    assert.equal(recordedNodePort(RADLS['0'] ?? [], 8888), 31001);
    assert.equal(recordedNodePort(RADLS['0'] ?? [], 9000), undefined, 'another port: none');
    assert.equal(recordedNodePort(RADLS['2'] ?? [], 8888), undefined, 'a container IM published nothing for: none');
    assert.equal(recordedNodePort([{ class: 'network', outbound: 'yes', outports: '0-8888' }], 8888), undefined, 'never 0');
    assert.equal(recordedNodePort([{ class: 'network', outbound: 'yes', outports: '30500-9000/tcp,31500-8888/tcp' }], 8888), 31500);
  });

  it("mends alice's link (port 0) to her node port, leaves bob's right one alone, and asks IM once", async () => {
    const asked: string[] = [];
    const known = new Map<string, string>();
    const outputs = { lab_alice_endpoint: '10.128.0.2:0', lab_bob_endpoint: '10.128.0.2:31002', other: 1 };
    const links = [lab('alice'), lab('bob')];
    const mended = await mendZeroPorts(client(asked), 'inf', ['0', '1', '2'], links, outputs, known);
    assert.deepEqual(mended, { lab_alice_endpoint: '10.128.0.2:31001', lab_bob_endpoint: '10.128.0.2:31002', other: 1 });
    assert.deepEqual(asked.sort(), ['0', '1', '2']);
    const again = await mendZeroPorts(client(asked), 'inf', ['0', '1', '2'], links, outputs, known);
    assert.deepEqual(again, mended);
    assert.equal(asked.length, 3, 'the next poll reuses what it found');
  });

  it('a port IM did not record stays 0, as IM gave it; nothing at port 0 asks nothing', async () => {
    const asked: string[] = [];
    const gone = await mendZeroPorts(client(asked), 'inf', ['2'], [lab('alice')], { lab_alice_endpoint: '10.128.0.2:0' }, new Map());
    assert.deepEqual(gone, { lab_alice_endpoint: '10.128.0.2:0' });
    const none: string[] = [];
    await mendZeroPorts(client(none), 'inf', ['0', '1'], [lab('bob')], { lab_bob_endpoint: '10.128.0.2:31002' }, new Map());
    assert.deepEqual(none, []);
  });
});
