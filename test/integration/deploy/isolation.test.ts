/**
 * On the bed's real API server (pods on kwok nodes: admission is real, the
 * containers are simulated): every built-in deploys to Ready in a namespace
 * under Pod Security "restricted", and the API server itself then refuses a
 * privileged pod, a container larger than the plan's largest, and pods past
 * the environment's quota.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kubectl, kubectlJson, testbedEnv } from '../../support/testbed';
import { BUILTIN_NAMES } from '../../unit/catalogue/fixtures';
import { envName, operationsFor, run } from './support';

interface Quota {
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
}

/** A pod that passes Pod Security "restricted", with `extra` merged into its container. */
function pod(name: string, container: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'c',
          image: 'ghcr.io/dask/dask:2025.11.0',
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          ...container,
        },
      ],
    },
  });
}

async function create(namespace: string, manifest: string): Promise<{ code: number; stderr: string }> {
  return kubectl(['create', '-n', namespace, '-f', '-'], { input: manifest });
}

describe('isolation on the bed (kwok nodes: real admission, simulated containers)', () => {
  for (const template of BUILTIN_NAMES) {
    test(`${template} deploys to Ready under Pod Security "restricted"`, async (t) => {
      const name = envName(t, template.slice(0, 8));
      const { operations } = operationsFor(t, [name]);
      const { handle } = await run(operations, () =>
        operations.deploy({ template, name, kubeconfig: testbedEnv().adminKubeconfig, waitForReadyMs: 120_000 }),
      );
      const result = await handle.done;
      assert.equal(result.outcome, 'succeeded', JSON.stringify(result.error));
      assert.equal(result.readiness?.ready, true, result.readiness?.text);
      const namespace = await kubectlJson<{ metadata: { labels: Record<string, string> } }>(['get', 'namespace', name]);
      assert.equal(namespace.metadata.labels['pod-security.kubernetes.io/enforce'], 'restricted');
      const events = await kubectlJson<{ items: { reason: string; message: string }[] }>(['get', 'events', '-n', name]);
      assert.deepEqual(
        events.items.filter((event) => event.reason === 'FailedCreate').map((event) => event.message),
        [],
        'no pod was refused (Pod Security, quota or limits)',
      );
    });
  }

  test('the API server refuses a privileged pod, a container past the largest planned one, and pods past the quota', async (t) => {
    const name = envName(t, 'af-deny');
    const { operations } = operationsFor(t, [name]);
    const { handle } = await run(operations, () =>
      operations.deploy({ template: 'analysis-facility', name, kubeconfig: testbedEnv().adminKubeconfig, waitForReadyMs: 120_000 }),
    );
    assert.equal((await handle.done).outcome, 'succeeded');

    const privileged = await create(
      name,
      pod('privileged', { securityContext: { privileged: true, allowPrivilegeEscalation: true, capabilities: { add: ['NET_ADMIN'] } } }),
    );
    assert.notEqual(privileged.code, 0);
    assert.match(privileged.stderr, /violates PodSecurity "restricted:latest"/);
    assert.match(privileged.stderr, /privileged/);

    const root = await create(
      name,
      pod('root', { securityContext: { runAsUser: 0, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }),
    );
    assert.match(root.stderr, /violates PodSecurity "restricted:latest"/);

    const huge = await create(
      name,
      pod('huge', { resources: { requests: { cpu: '8', memory: '1Gi' }, limits: { cpu: '8', memory: '1Gi' } } }),
    );
    assert.match(huge.stderr, /maximum cpu usage per Container is 1/);

    // Small, compliant pods until the quota says no: it must, before the count the quota allows.
    const quota = await kubectlJson<Quota>(['get', 'resourcequota', 'afp-quota', '-n', name]);
    const room = Number(quota.status?.hard?.pods ?? 0) - Number(quota.status?.used?.pods ?? 0);
    assert.ok(room > 0 && room < 20, `room for ${room} more pods`);
    let refused = '';
    for (let index = 0; index <= room && refused === ''; index += 1) {
      const attempt = await create(name, pod(`extra-${index}`));
      if (attempt.code !== 0) refused = attempt.stderr;
    }
    assert.match(refused, /exceeded quota: afp-quota/);
  });
});
