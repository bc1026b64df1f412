/**
 * An environment closed to the other groups of a shared cluster, on real
 * container nodes: the analysis facility deployed with afp, its NetworkPolicies
 * enforced by kube-router on each node (test/testbed/node/kube-router.ts), its
 * quota and Pod Security label enforced by the API server; MinIO's console
 * open to the owner's port-forward only. Every refusal here
 * has its counterpart that succeeds, so a probe that could never connect, or
 * an API server that refused everything, would fail these tests.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { afp, afpOpen } from '../../support/afp';
import { kubectl, kubectlJson, kubectlOk, testbedEnv } from '../../support/testbed';
import { JOURNEY_VALUES, journeyBed, type JourneyBed } from '../journey/support';
import { apply, realPod, skipWithoutRealNodes, waitReady } from './real-node';

/** What a physicist's code would connect to: the hub's API, the Dask scheduler, MinIO's S3 API. */
const SERVICES = [
  { name: 'hub', port: 8081 },
  { name: 'scheduler', port: 8786 },
  { name: 'minio', port: 9000 },
];

/** MinIO's console: it signs in with any user's keys, so no pod is admitted to it (ownerOnly). */
const CONSOLE = { name: 'minio', port: 9001 };

/** What Pod Security "restricted" asks of a container. */
const RESTRICTED = {
  pod: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
  container: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
};

/**
 * Whether a pod opens a TCP connection to host:port. busybox's nc says
 * "can't connect" when refused (kube-router rejects what a policy denies) and
 * times out when dropped; once connected it waits for the server, so `timeout` ends it.
 */
async function connects(namespace: string, pod: string, host: string, port: number): Promise<boolean> {
  const probe = await kubectl([
    'exec',
    '-n',
    namespace,
    pod,
    '--',
    'sh',
    '-c',
    `timeout 5 nc -w 3 ${host} ${port} </dev/null 2>&1; echo "exit=$?"`,
  ]);
  const said = probe.stdout + probe.stderr;
  assert.match(said, /exit=\d+/, `the probe ran in ${namespace}/${pod}: ${said}`);
  return !/can't connect|timed out|bad address/.test(said);
}

function prober(name: string, node: number, restricted: boolean, labels: Record<string, string> = {}): object {
  return realPod({
    name,
    node,
    labels,
    command: ['sleep', '3600'],
    ...(restricted ? { securityContext: RESTRICTED.pod, containerSecurityContext: RESTRICTED.container } : {}),
  });
}

/** CPU in millicores from a Kubernetes quantity ("1700m", "3", "0.5"). */
function millicores(quantity: string): number {
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) : Math.round(Number(quantity) * 1000);
}

interface Quota {
  status: { hard: Record<string, string>; used: Record<string, string> };
}
interface LimitRange {
  spec: { limits: { type: string; max?: Record<string, string> }[] };
}

describe(
  'real container nodes: an environment closed to the other groups of the cluster',
  { skip: skipWithoutRealNodes(), timeout: 900_000 },
  () => {
    let bed: JourneyBed;
    let config: string;
    const previous = process.env.AFP_CONFIG_DIR;
    const name = `isolated-${Date.now().toString(36)}`;
    const others = `${name}-other-group`;
    const ingress = 'ingress-nginx';
    const fqdn = (service: string): string => `${service}.${name}.svc.cluster.local`;
    const enforcer = (): string => testbedEnv().realNodes?.networkPolicy ?? 'nothing (the bed has no NetworkPolicy enforcer)';

    before(async () => {
      bed = await journeyBed();
      config = mkdtempSync(path.join(os.tmpdir(), 'afp-isolation-'));
      process.env.AFP_CONFIG_DIR = config;
      const sets = Object.entries(JOURNEY_VALUES).flatMap(([key, value]) => ['--set', `${key}=${value}`]);
      const kubeconfig = testbedEnv().adminKubeconfig;
      const deployed = await afp([
        'deploy',
        'analysis-facility',
        ...sets,
        '--kubeconfig',
        kubeconfig,
        '--name',
        name,
        '--wait',
        '--timeout',
        '600s',
      ]);
      assert.equal(deployed.code, 0, deployed.stderr);
      // Another group's namespace, with a pod on each node (same-node and cross-node paths); the environment's own pod.
      for (const namespace of [others, ingress]) await kubectlOk(['create', 'namespace', namespace]);
      await apply(others, prober('probe-1', 0, false), prober('probe-2', 1, false));
      await apply(ingress, prober('controller', 0, false, { 'app.kubernetes.io/name': 'ingress-nginx' }));
      await apply(name, prober('probe', 1, true));
      await Promise.all([
        waitReady(others, 'probe-1'),
        waitReady(others, 'probe-2'),
        waitReady(ingress, 'controller'),
        waitReady(name, 'probe'),
      ]);
    });
    after(async () => {
      for (const namespace of [name, others, ingress])
        await kubectl(['delete', 'namespace', namespace, '--wait=false', '--ignore-not-found']);
      if (previous === undefined) delete process.env.AFP_CONFIG_DIR;
      else process.env.AFP_CONFIG_DIR = previous;
      rmSync(config, { recursive: true, force: true });
      await bed?.stop();
    });

    test('a pod of the environment reaches its hub, Dask scheduler and MinIO', async () => {
      for (const service of SERVICES)
        assert.ok(
          await connects(name, 'probe', fqdn(service.name), service.port),
          `${service.name}:${service.port} from inside the environment`,
        );
    });

    test('a pod of another group’s namespace, on either node, cannot open a connection to any of them', async () => {
      for (const pod of ['probe-1', 'probe-2'])
        for (const service of SERVICES)
          assert.equal(
            await connects(others, pod, fqdn(service.name), service.port),
            false,
            `${others}/${pod} must not reach ${service.name}:${service.port} (enforced by ${enforcer()})`,
          );
    });

    test('the site’s ingress controller reaches the ports published by Ingress, and nothing else', async () => {
      assert.ok(await connects(ingress, 'controller', fqdn('proxy-public'), 80), 'the hub’s proxy, published by Ingress');
      for (const service of [...SERVICES, CONSOLE])
        assert.equal(
          await connects(ingress, 'controller', fqdn(service.name), service.port),
          false,
          `${service.name}:${service.port} is not published`,
        );
    });

    test('MinIO’s console is the owner’s alone: no pod of the environment reaches it, the owner’s port-forward (afp open) does', async () => {
      assert.equal(
        await connects(name, 'probe', fqdn(CONSOLE.name), CONSOLE.port),
        false,
        `minio:9001 must be closed to the environment's own pods (enforced by ${enforcer()})`,
      );
      const open = await afpOpen(name, 'minio-console', config);
      try {
        const answer = await fetch(open.url);
        assert.equal(answer.status, 200);
        assert.match(await answer.text(), /MinIO Console/i, 'the console answers through the owner’s forward');
      } finally {
        await open.interrupt();
      }
    });

    test('the API server refuses a privileged pod in the namespace, and admits the same pod restricted', async () => {
      const pod = (privileged: boolean): object => {
        const spec = prober('admission', 0, true) as { spec: { containers: { securityContext?: object }[] } };
        if (privileged) spec.spec.containers[0]!.securityContext = { privileged: true };
        return spec;
      };
      const create = (object: object): ReturnType<typeof kubectl> =>
        kubectl(['create', '--dry-run=server', '-n', name, '-f', '-'], { input: JSON.stringify(object) });
      const refused = await create(pod(true));
      assert.notEqual(refused.code, 0, 'a privileged pod is refused');
      assert.match(refused.stderr, /violates PodSecurity "restricted:latest".*privileged/);
      const admitted = await create(pod(false));
      assert.equal(admitted.code, 0, admitted.stderr);
    });

    test('the API server refuses a pod that would take the environment past its quota, and admits one within it', async () => {
      const quota = await kubectlJson<Quota>(['get', 'resourcequota', 'afp-quota', '-n', name]);
      const limits = await kubectlJson<LimitRange>(['get', 'limitrange', 'afp-limits', '-n', name]);
      const left = millicores(quota.status.hard['requests.cpu']!) - millicores(quota.status.used['requests.cpu']!);
      const perContainer = millicores(limits.spec.limits.find((limit) => limit.type === 'Container')!.max!.cpu!);
      // Each container within the limit range, so only the quota can refuse the whole pod.
      const pod = (containers: number): object => {
        const base = prober('greedy', 0, true) as { spec: { containers: Record<string, unknown>[] } };
        const template = base.spec.containers[0]!;
        base.spec.containers = Array.from({ length: containers }, (_, i) => ({
          ...template,
          name: `c${i}`,
          resources: { requests: { cpu: `${perContainer}m` }, limits: { cpu: `${perContainer}m` } },
        }));
        return base;
      };
      const create = (object: object): ReturnType<typeof kubectl> =>
        kubectl(['create', '--dry-run=server', '-n', name, '-f', '-'], { input: JSON.stringify(object) });
      const refused = await create(pod(Math.floor(left / perContainer) + 1));
      assert.notEqual(refused.code, 0, `a pod asking more than the ${left}m CPU left is refused`);
      assert.match(refused.stderr, /exceeded quota: afp-quota/);
      const admitted = await create(pod(1));
      assert.equal(admitted.code, 0, admitted.stderr);
    });

    // Last: it removes the protection the tests above rely on.
    test('without the environment’s NetworkPolicies the other group’s pods get through: the refusals above were theirs', async () => {
      await kubectlOk(['delete', 'networkpolicy', '--all', '-n', name]);
      for (const service of [...SERVICES, CONSOLE]) {
        let open = false;
        // kube-router applies a policy change at its next sync, a moment later.
        for (let attempt = 0; attempt < 20 && !open; attempt++) {
          open = await connects(others, 'probe-2', fqdn(service.name), service.port);
          if (!open) await new Promise((resolve) => setTimeout(resolve, 500));
        }
        assert.ok(open, `${service.name}:${service.port} from ${others} once the policies are gone`);
      }
    });
  },
);
