import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { Inventory } from '../../../main/inventory/inventory';
import { afp } from '../../support/afp';
import { FaultProxy } from '../../testbed/fault/proxy';
import { REPO_ROOT } from '../../testbed/env';
import { adminTls, kubectl, testbedEnv, waitUntil } from '../../support/testbed';
import { adminKubeconfigVia, envName } from './support';

describe('an operation cut short by a crash', () => {
  test('is shown interrupted at the next start and resumes to the end, keeping the secrets already applied', async (t) => {
    const api = new URL(testbedEnv().apiServerUrl);
    const proxy = await FaultProxy.start({
      name: 'deploy-crash',
      mode: 'tcp',
      upstream: { host: api.hostname, port: Number(api.port), tlsCa: adminTls().ca },
    });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-crash-'));
    const name = envName(t, 'crash');
    t.after(async () => {
      await proxy.close();
      rmSync(dir, { recursive: true, force: true });
      await kubectl(['delete', 'namespace', name, '--wait=false', '--ignore-not-found']);
    });
    proxy.set({ latencyMs: { up: 150, down: 150 } });
    const kubeconfig = adminKubeconfigVia(dir, proxy.url);
    const config = path.join(dir, 'config');

    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'main/cli.ts'), 'deploy', 'analysis-facility', '--kubeconfig', kubeconfig, '--name', name],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, AFP_CONFIG_DIR: config },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const applied = (): number => {
      try {
        return (
          Inventory.open(config, { recoverInterrupted: false })
            .get(name)
            ?.objects.filter((o) => o.state === 'applied').length ?? 0
        );
      } catch {
        return 0;
      }
    };
    await waitUntil('the first waves recorded', () => Promise.resolve(applied() >= 10), 60_000, 50);
    child.kill('SIGKILL');
    await exited;

    const inventory = Inventory.open(config);
    assert.deepEqual(
      inventory.interrupted.map((r) => r.name),
      [name],
    );
    const record = inventory.get(name);
    assert.equal(record?.operations.at(-1)?.outcome, 'interrupted');
    assert.equal(record?.operations.at(-1)?.message, 'The app stopped during this deploy; it can be resumed.');
    assert.ok((record?.objects.filter((o) => o.state === 'planned').length ?? 0) > 0, 'it stopped before the end');
    const secretBefore = (await kubectl(['get', 'secret', 'hub', '-n', name, '-o', 'jsonpath={.data}'])).stdout;
    assert.notEqual(secretBefore, '');

    proxy.clear();
    // The user resumes it from the terminal, as `afp list` suggests.
    const previous = process.env.AFP_CONFIG_DIR;
    process.env.AFP_CONFIG_DIR = config;
    t.after(() => {
      if (previous === undefined) delete process.env.AFP_CONFIG_DIR;
      else process.env.AFP_CONFIG_DIR = previous;
    });
    const resumed = await afp(['resume', name, '--wait', '--timeout', '120s']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`^Resuming the deploy of environment "${name}"`, 'm'));
    assert.match(resumed.stdout, new RegExp(`^Environment ${name} is ready \\((all \\d+|both) workloads ready\\)\\.$`, 'm'));
    const finished = Inventory.open(config).get(name);
    assert.equal(finished?.status.phase, 'Ready');
    assert.equal(finished?.operations.at(-1)?.outcome, 'succeeded');
    assert.ok(finished?.objects.every((o) => o.state === 'applied'));
    assert.equal(
      (await kubectl(['get', 'secret', 'hub', '-n', name, '-o', 'jsonpath={.data}'])).stdout,
      secretBefore,
      'generated secrets kept',
    );
  });
});
