/**
 * `afp deploy --target im|dispatcher` as a user runs it, against the bed's
 * real IM and our dispatcher: MinIO created as the signed-in alice, the
 * infrastructure id in the inventory, status Ready with its links, IM's log,
 * MinIO's root keys shown by `afp credentials` (read from the TOSCA IM stores)
 * as the pod holds them, an update (a new infrastructure with the new values,
 * and new keys shown), and delete removing the pods.
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

/** `afp credentials` shows MinIO's root keys as the running MinIO pod holds them (simulated kwok pod: its spec). */
async function rootKeysShown(name: string): Promise<string> {
  const { dir, profileFile } = world;
  const shown = await afp(['credentials', name, '--profile', profileFile, '--json'], dir);
  assert.equal(shown.code, 0, shown.stderr);
  const view = JSON.parse(shown.stdout) as { credentials: { title: string; username?: string; secret: string }[]; unavailable?: string };
  assert.equal(view.unavailable, undefined, view.unavailable);
  const pods = await kubectlJson<{
    items: { metadata: { deletionTimestamp?: string }; spec: { containers: { env?: { name: string; value?: string }[] }[] } }[];
  }>(['get', 'pods', '-n', name]);
  const env = pods.items.find((pod) => pod.metadata.deletionTimestamp === undefined)?.spec.containers[0]?.env ?? [];
  const root = ['MINIO_ROOT_USER', 'MINIO_ROOT_PASSWORD'].map((key) => env.find((entry) => entry.name === key)?.value);
  const credential = view.credentials.find((c) => c.title === 'MinIO console and API (root)');
  assert.deepEqual([credential?.username, credential?.secret], root, "MinIO's root keys as its pod holds them");
  assert.ok((root[1] ?? '').length >= 16);
  return root[1] ?? '';
}

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

    const firstKey = await rootKeysShown(name);

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
      await waitUntil(`only the new MinIO pod in ${name}`, async () => (await podsIn(name)).length === 1, 60_000, 1000);
      assert.notEqual(await rootKeysShown(name), firstKey, "the new infrastructure's keys, read from IM now");
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
