/**
 * `afp deploy --target im|dispatcher` as a user runs it, against the bed's
 * real IM and our dispatcher: MinIO created as the signed-in alice, the
 * infrastructure id in the inventory, status Ready with its links, IM's log,
 * an update (a new infrastructure with the new values), and delete removing the pods.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toUnits } from '../../../main/kube/quantity';
import { kubectlJson, waitUntil } from '../../support/testbed';
import { namespaceGone, podsIn, uniqueName } from '../targets-im/support';
import { afp, imWorld, type ImWorld } from './support';

let world: ImWorld;

before(async () => {
  world = await imWorld();
});
after(async () => {
  await world.close();
});

async function deployFollowDelete(kind: 'im' | 'dispatcher'): Promise<void> {
  const name = uniqueName(`envim-cli-${kind === 'im' ? 'im' : 'disp'}`);
  const { dir, profileFile } = world;
  try {
    const deploy = await afp(
      ['deploy', 'minio', '--profile', profileFile, '--target', kind, '--name', name, '--wait', '--timeout', '120s'],
      dir,
    );
    assert.equal(deploy.code, 0, deploy.stderr);
    assert.match(deploy.stderr, new RegExp(`accepted the environment as infrastructure [0-9a-f-]{36}`));
    assert.match(deploy.stdout, new RegExp(`^Environment ${name} is ready \\(\\d+/\\d+ containers configured\\)\\.`));

    const list = JSON.parse((await afp(['list', '--json'], dir)).stdout) as {
      name: string;
      target: { kind: string; infrastructureId?: string; imUrl?: string };
    }[];
    const target = list.find((entry) => entry.name === name)?.target;
    assert.equal(target?.kind, kind);
    assert.match(target?.infrastructureId ?? '', /^[0-9a-f-]{36}$/, 'the infrastructure id is in the inventory');
    assert.ok(
      (await podsIn(name)).some((pod) => pod.phase === 'Running'),
      'the MinIO pod runs in the namespace IM made',
    );

    const status = await afp(['status', name, '--profile', profileFile, '--json'], dir);
    assert.equal(status.code, 0, `${status.stdout}${status.stderr}`);
    const seen = JSON.parse(status.stdout) as {
      live: boolean;
      status: { phase: string; message?: string };
      links: { id: string; url?: string }[];
    };
    assert.equal(seen.live, true);
    assert.equal(seen.status.phase, 'Ready');
    assert.match(seen.status.message ?? '', /^IM: configured/);
    assert.match(
      seen.links.find((link) => link.id === 'minio-console')?.url ?? '',
      /^http:\/\/127\.0\.1\.\d+:\d+\//,
      "IM's outputs as links (at the pod's host, a simulated node's loopback address)",
    );
    const text = await afp(['status', name, '--profile', profileFile], dir);
    assert.match(
      text.stdout,
      new RegExp(`${name}: minio \\S+ on (IM|dispatcher) http://127\\.0\\.0\\.1:\\d+\\S* \\(${target?.infrastructureId ?? ''}\\)`),
    );

    const logs = await afp(['logs', name, '--profile', profileFile], dir);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stderr, new RegExp(`IM's log of infrastructure ${target?.infrastructureId ?? ''}`));
    assert.ok(logs.stdout.trim().length > 0, "IM's log has text");

    if (kind === 'im') {
      // IM cannot change a running infrastructure: an update makes a new one with the new values.
      const updated = await afp(['update', name, '--profile', profileFile, '--set', 'storage=2Gi', '--wait', '--timeout', '150s'], dir);
      assert.equal(updated.code, 0, updated.stderr);
      assert.match(updated.stdout, new RegExp(`^Environment ${name} is updated and ready`));
      const now = (
        JSON.parse((await afp(['list', '--json'], dir)).stdout) as { name: string; target: { infrastructureId?: string } }[]
      ).find((entry) => entry.name === name)?.target;
      assert.match(now?.infrastructureId ?? '', /^[0-9a-f-]{36}$/);
      assert.notEqual(now?.infrastructureId, target?.infrastructureId, 'a new infrastructure');
      const claims = await kubectlJson<{ items: { spec: { resources: { requests: { storage?: string } } } }[] }>([
        'get',
        'pvc',
        '-n',
        name,
        '-o',
        'json',
      ]);
      // IM writes the size in bytes.
      assert.ok(
        claims.items.some((pvc) => toUnits(pvc.spec.resources.requests.storage ?? '0') === 2 * 2 ** 30),
        JSON.stringify(claims.items.map((pvc) => pvc.spec.resources)),
      );
    }

    const deleted = await afp(['delete', name, '--profile', profileFile, '--wait', '--timeout', '90s'], dir);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, new RegExp(`Environment ${name} is gone`));
    await waitUntil(`namespace ${name} to go`, () => namespaceGone(name), 60_000, 500);
    assert.deepEqual(await podsIn(name), []);
    const after = JSON.parse((await afp(['list', '--json'], dir)).stdout) as { name: string }[];
    assert.ok(!after.some((entry) => entry.name === name), 'dropped from the inventory');
  } finally {
    await afp(['delete', name, '--profile', profileFile], dir).catch(() => undefined);
  }
}

describe('afp deploy through IM and the dispatcher', { concurrency: true }, () => {
  it('--target im: MinIO as alice, Ready with links, logs, updated, deleted', { timeout: 420_000 }, () => deployFollowDelete('im'));
  it('--target dispatcher: MinIO as alice, followed through IM, deleted', { timeout: 240_000 }, () => deployFollowDelete('dispatcher'));
});
