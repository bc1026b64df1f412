import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { testbedEnvSchema } from '../../testbed/env';
import { groupAlive } from '../../testbed/process';
import { bedProcesses } from '../../testbed/stale';

const CLI = fileURLToPath(new URL('../../testbed/cli.ts', import.meta.url));

function cli(args: string[], envFile: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CLI, ...args],
      { env: { ...process.env, AFP_TESTBED_ENV: envFile }, timeout: 170_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    );
  });
}

test('`testbed up` runs a bed in the background, `status` sees it, `down` leaves no process behind', { timeout: 200_000 }, async (t) => {
  // A bed of its own (its own env file), so the shared one keeps serving the other tests.
  const scratch = mkdtempSync(join(tmpdir(), 'afp-cli-test-'));
  const envFile = join(scratch, 'env.json');
  t.after(async () => {
    if (existsSync(envFile)) await cli(['down'], envFile);
    rmSync(scratch, { recursive: true, force: true });
  });

  const up = await cli(['up', '--no-im', '--no-dispatcher'], envFile);
  assert.equal(up.code, 0, up.stderr);
  const env = testbedEnvSchema.parse(JSON.parse(up.stdout));
  assert.ok(env.processes.some((child) => child.name === 'kube-apiserver'));
  for (const child of env.processes) assert.ok(groupAlive(child.pid), `${child.name} runs`);

  const status = await cli(['status'], envFile);
  assert.equal(status.code, 0, status.stdout + status.stderr);
  assert.match(status.stdout, /running\s+kube-apiserver/);
  assert.match(status.stdout, /running\s+kwok/);

  const fault = await cli(['fault', 'apiServer', 'latency', '5', '7'], envFile);
  assert.equal(fault.code, 0, fault.stderr);
  assert.deepEqual((JSON.parse(fault.stdout) as { latencyMs: unknown }).latencyMs, { up: 5, down: 7 });
  const cleared = await cli(['fault', 'apiServer', 'clear'], envFile);
  assert.equal(cleared.code, 0, cleared.stderr);

  const restart = await cli(['server', 'kube-scheduler', 'restart'], envFile);
  assert.equal(restart.code, 0, restart.stderr);
  assert.deepEqual(JSON.parse(restart.stdout), { name: 'kube-scheduler', running: true });
  const afterRestart = await cli(['status'], envFile);
  assert.equal(afterRestart.code, 0, afterRestart.stdout + afterRestart.stderr);
  assert.match(afterRestart.stdout, /running\s+kube-scheduler/);

  const down = await cli(['down'], envFile);
  assert.equal(down.code, 0, down.stdout + down.stderr);
  assert.match(down.stdout, /none left/);
  assert.deepEqual(bedProcesses(env.dir), [], 'no process of the bed is left');
  for (const child of env.processes) assert.equal(groupAlive(child.pid), false, `${child.name}'s process group is gone`);
  assert.throws(() => process.kill(env.ownerPid, 0), 'the supervisor has exited');
  assert.equal(existsSync(envFile), false, 'the env file is removed');

  const after = await cli(['status'], envFile);
  assert.equal(after.code, 1);
  assert.match(after.stdout, /down/);
});
