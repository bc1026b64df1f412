import assert from 'node:assert/strict';
import { test } from 'node:test';
import { afp } from '../../support/afp';
import type { FitReport } from '../../../main/capacity/fit';
import { testbedEnv } from '../../support/testbed';

test('afp fit reads the test bed through a kubeconfig and places the analysis facility on its nodes', async () => {
  const env = testbedEnv();
  const fits = await afp(['fit', 'analysis-facility', '--kubeconfig', env.adminKubeconfig, '--json']);
  assert.equal(fits.code, 0, fits.stderr);
  const { source, report } = JSON.parse(fits.stdout) as { source: string; report: FitReport };
  assert.match(source, new RegExp(`^cluster ${env.apiServerUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.ok(report.nodeCount >= 6);
  assert.ok(report.perPod.every((pod) => pod.fits && pod.node !== undefined));

  // 64 workers of 8 CPU cannot all fit on 72 CPU: the scheduler's words for the rest, and exit 3.
  const tooBig = await afp([
    'fit',
    'analysis-facility',
    '--kubeconfig',
    env.adminKubeconfig,
    '--set',
    'workers=64',
    '--set',
    'workerCpu=8',
  ]);
  assert.equal(tooBig.code, 3, tooBig.stderr);
  assert.match(tooBig.stdout, /PENDING {2}worker-\d+ +0\/\d+ nodes are available: .*Insufficient cpu/);
});
