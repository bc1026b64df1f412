import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { testbedEnvSchema } from '../../testbed/env';
import type { TestbedEnv } from '../../testbed/env';
import { startTestbed } from '../../testbed/index';
import { waitFor } from '../../testbed/net';
import { bedLeftovers } from '../../testbed/stale';
import { skipWithoutRealNodes } from './real-node';

const CLI = fileURLToPath(new URL('../../testbed/cli.ts', import.meta.url));
/** Only the image these beds need (pause, for sandboxes; busybox always comes); the shared bed imports them all. */
const IMAGES = 'pause';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<Result> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { env: opts.env ?? process.env, timeout: 170_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    );
    child.stdin?.end(opts.input ?? '');
  });
}

/** True while a process with this exact command line runs on the machine. */
function running(...argv: string[]): boolean {
  const wanted = `${argv.join('\0')}\0`;
  return readdirSync('/proc').some((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    try {
      return readFileSync(`/proc/${entry}/cmdline`, 'latin1') === wanted;
    } catch {
      return false;
    }
  });
}

/** A pod on the bed's real node whose process runc starts outside the bed's process tree; resolves once it runs. */
async function runSleeper(env: TestbedEnv, seconds: string): Promise<void> {
  const kubectl = (args: string[], input?: string): Promise<Result> =>
    run(env.kubectl, [`--kubeconfig=${env.adminKubeconfig}`, ...args], input === undefined ? {} : { input });
  const real = env.realNodes!;
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'sleeper', namespace: 'default' },
    spec: {
      tolerations: real.taint === undefined ? [] : [{ key: real.taint.key, operator: 'Exists' }],
      nodeSelector: { 'kubernetes.io/hostname': real.names[0] },
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image: real.busyboxImage, imagePullPolicy: 'Never', command: ['sleep', seconds] }],
    },
  };
  const applied = await kubectl(['apply', '-f', '-'], JSON.stringify(pod));
  assert.equal(applied.code, 0, applied.stderr);
  await waitFor(
    'the sleeper pod to run',
    async () => ((await kubectl(['get', 'pod', 'sleeper', '-o', 'jsonpath={.status.phase}'])).stdout === 'Running' ? true : undefined),
    { timeoutMs: 90_000, intervalMs: 250 },
  );
  assert.ok(running('sleep', seconds), 'the container process runs on this machine');
}

describe('real container node: down leaves nothing behind', { skip: skipWithoutRealNodes(), timeout: 300_000 }, () => {
  test('a bed of real nodes only: the app sees only them, untainted; stopping it leaves no process, shim, cgroup, mount or network', async () => {
    const bed = await startTestbed({ idp: false, im: false, dispatcher: false, realNodes: 1, kwokNodes: false, realNodeImages: [IMAGES] });
    let stopped = false;
    try {
      const real = bed.env.realNodes!;
      const nodes = await bed.kube.get<{ items: { metadata: { name: string }; spec: { taints?: object[] } }[] }>('/api/v1/nodes');
      assert.deepEqual(
        nodes.items.map((node) => node.metadata.name),
        ['afp-real-1'],
      );
      assert.deepEqual(nodes.items[0]?.spec.taints ?? [], [], 'no taint to tolerate on a bed of real nodes only');
      assert.equal(real.taint, undefined);
      const classes = await bed.kube.get<{ items: { metadata: { name: string; annotations?: Record<string, string> } }[] }>(
        '/apis/storage.k8s.io/v1/storageclasses',
      );
      const defaults = classes.items.filter(
        (item) => item.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true',
      );
      assert.deepEqual(
        defaults.map((item) => item.metadata.name),
        [real.storageClass],
        'claims that name no class get real storage',
      );

      await runSleeper(bed.env, '3607');
      await bed.stop();
      stopped = true;
      assert.deepEqual(await bedLeftovers(bed.dir, real.record), []);
      assert.equal(running('sleep', '3607'), false, "the container's process is gone");
    } finally {
      if (!stopped) await bed.stop();
    }
  });

  test('`testbed down` after the bed owner died clears its real nodes too', async (t) => {
    const scratch = mkdtempSync(join(tmpdir(), 'afp-realnode-down-'));
    const envFile = join(scratch, 'env.json');
    const env = { ...process.env, AFP_TESTBED_ENV: envFile, AFP_TESTBED_REAL_NODE_IMAGES: IMAGES };
    t.after(async () => {
      await run(process.execPath, ['--import', 'tsx', CLI, 'down'], { env });
      rmSync(scratch, { recursive: true, force: true });
    });
    const up = await run(process.execPath, ['--import', 'tsx', CLI, 'up', '--no-idp', '--no-im', '--real-nodes', '1'], { env });
    assert.equal(up.code, 0, up.stderr);
    const bedEnv = testbedEnvSchema.parse(JSON.parse(up.stdout));
    await runSleeper(bedEnv, '3608');

    process.kill(bedEnv.ownerPid, 'SIGKILL'); // no teardown: everything is left running
    await waitFor('the owner to die', () => Promise.resolve(isAlive(bedEnv.ownerPid) ? undefined : true), { timeoutMs: 10_000 });
    assert.ok(running('sleep', '3608'), 'the container outlives its bed owner');

    const down = await run(process.execPath, ['--import', 'tsx', CLI, 'down'], { env });
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /no shim, cgroup, mount or bed network of the real nodes left/);
    assert.deepEqual(await bedLeftovers(bedEnv.dir, bedEnv.realNodes?.record), []);
    assert.equal(running('sleep', '3608'), false, "the container's process is gone");
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
