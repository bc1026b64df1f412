import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import type { CliIo } from '../../../main/cli/command';
import { runList } from '../../../main/cli/list';
import { EXIT_NOT_READY, runStatus } from '../../../main/cli/status';
import { Inventory } from '../../../main/inventory/inventory';
import { kubectl, kubectlOk, waitUntil } from '../../support/testbed';
import { environmentNamespace, kubeRecordFor, link, slug, workload } from './support';

function capture(): CliIo & { out: () => string } {
  let out = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (out += text) },
    cwd: process.cwd(),
    out: () => out,
  };
}

it('afp list and afp status show a crash-looping environment with the reason', { timeout: 120_000 }, async (t) => {
  const name = slug(t, 'cli');
  await environmentNamespace(t, name);
  await kubectlOk(['apply', '-n', name, '-f', '-'], {
    input: workload('dask-worker', { port: 8787, annotations: { 'afp.dev/simulate': 'crash-loop' } }),
  });
  await waitUntil(
    'CrashLoopBackOff',
    async () => (await kubectl(['get', 'pods', '-n', name, '-o', 'jsonpath={..waiting.reason}'])).stdout.includes('CrashLoopBackOff'),
    30_000,
  );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  Inventory.open(dir).create(kubeRecordFor(name, { links: [link('dask-worker', 8787, { title: 'Dask dashboard' })] }));

  const list = capture();
  assert.equal(runList(list, { json: false, configDir: dir }), 0);
  assert.match(
    list.out(),
    new RegExp(`^NAME +TEMPLATE +TARGET +STATUS +AGE\\n${name} +dask 1\\.0\\.0 +afp-testbed/${name} +Ready \\(\\d+s\\) +\\d+s\\n$`),
  );

  const status = capture();
  assert.equal(await runStatus(status, name, { json: false, configDir: dir }), EXIT_NOT_READY);
  const printed = status.out();
  t.diagnostic(printed);
  assert.match(
    printed,
    new RegExp(`^${name}: dask 1\\.0\\.0 on afp-testbed/${name}\\nstatus: Degraded for \\d+s — dask-worker-[a-z0-9-]+: CrashLoopBackOff`),
  );
  assert.match(printed, /\nlinks:\n {2}Dask dashboard {2}\(cluster-only: afp open \S+ \S+ forwards it\) {2}\(not ready\)\n/);
  assert.match(printed, /\nworkloads:\n {2}Deployment dask-worker: 0\/1 ready\n/);
  assert.match(
    printed,
    /\npods:\n {2}NAME +PHASE +READY +RESTARTS +NODE +REASON\n {2}dask-worker-\S+ +Running +no +\d+ +af-\S+ +CrashLoopBackOff/,
  );

  const json = capture();
  assert.equal(await runStatus(json, name, { json: true, configDir: dir }), EXIT_NOT_READY);
  const parsed = JSON.parse(json.out()) as { live: boolean; status: { phase: string; message: string }; pods: { reason?: string }[] };
  assert.equal(parsed.live, true);
  assert.equal(parsed.status.phase, 'Degraded');
  assert.match(parsed.pods[0]?.reason ?? '', /^CrashLoopBackOff/);

  await assert.rejects(
    runStatus(capture(), 'no-such-env', { json: false, configDir: dir }),
    /No environment named "no-such-env" in the inventory .*afp list shows them\./,
  );
});
