import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kubectlOk, testbedEnv } from '../../support/testbed';
import { envName, operationsFor, run } from './support';

/** The test bed's kwok stages fail pods carrying this annotation the way a kubelet would. */
async function simulate(namespace: string, deployment: string, failure: 'image-pull-failure' | 'crash-loop'): Promise<void> {
  await kubectlOk([
    'patch',
    'deployment',
    deployment,
    '-n',
    namespace,
    '--type=merge',
    '-p',
    JSON.stringify({ spec: { template: { metadata: { annotations: { 'afp.dev/simulate': failure } } } } }),
  ]);
}

describe('pods that cannot start', () => {
  for (const [failure, said, reason] of [
    ['image-pull-failure', /: cannot pull its image/, /^(ErrImagePull|ImagePullBackOff)$/],
    ['crash-loop', /: keeps crashing/, /^CrashLoopBackOff$/],
  ] as const) {
    test(`${failure}: the reason is said in plain words as soon as the API reports it, and the timeout names the pod`, async (t) => {
      const name = envName(t, failure);
      const { operations } = operationsFor(t, [name]);
      const deploy = await operations.deploy({
        template: 'lab-dask',
        name,
        kubeconfig: testbedEnv().adminKubeconfig,
        values: { workers: 1, withCache: false },
        waitForReadyMs: 60_000,
      });
      assert.equal((await deploy.done).outcome, 'succeeded');
      await simulate(name, 'worker', failure);

      const { handle, events } = await run(operations, () => operations.update(name, {}, { waitForReadyMs: 10_000 }));
      const result = await handle.done;
      const problem = events.find((e) => e.type === 'pod' && e.state === 'waiting');
      assert.ok(
        problem !== undefined && problem.type === 'pod',
        `a waiting pod was reported: ${JSON.stringify(events.map((e) => e.text))}`,
      );
      assert.match(problem.reason ?? '', reason);
      assert.match(problem.text, said);
      assert.equal(result.outcome, 'failed');
      assert.equal(result.error?.code, 'timeout');
      assert.match(result.error?.message ?? '', new RegExp(`^Not ready after 10 s: worker: .*; ${problem.name}: `));
    });
  }
});
