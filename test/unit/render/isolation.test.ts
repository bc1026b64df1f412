/**
 * Every built-in, as `afp export` writes it, keeps to itself on a shared
 * cluster: a Pod Security "restricted" namespace, NetworkPolicies admitting
 * only the environment's pods and the ingress controller, a ResourceQuota and
 * LimitRange sized from the plan, and hardened containers.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { main } from '../../../main/cli';
import { quantitySize } from '../../../main/catalogue/quantity';
import { renderPlan } from '../../../main/render/plan';
import type { KubeObject } from '../../../main/render/types';
import { isAfpError, type ApiErrorShape } from '../../../main/errors';
import { problemsOf } from '../../../main/yaml/problems';
import { BUILTIN_NAMES, builtin, errorsOf, fromText } from '../catalogue/fixtures';

async function exported(name: string): Promise<KubeObject[]> {
  let stdout = '';
  const code = await main(['export', name], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: () => true },
    cwd: await mkdtemp(path.join(tmpdir(), 'afp-isolation-')),
  });
  assert.equal(code, 0);
  return parseAllDocuments(stdout).map((doc) => doc.toJS() as KubeObject);
}

interface PodTemplate {
  spec: {
    securityContext?: Record<string, unknown>;
    containers: { name: string; securityContext?: Record<string, unknown>; volumeMounts?: { mountPath: string; name: string }[] }[];
    volumes?: { name: string; emptyDir?: unknown }[];
  };
}

const podTemplate = (object: KubeObject): PodTemplate => (object.spec as { template: PodTemplate }).template;
const find = (objects: KubeObject[], kind: string, name?: string): KubeObject | undefined =>
  objects.find((object) => object.kind === kind && (name === undefined || object.metadata.name === name));

describe('afp export of every built-in shows its isolation', () => {
  for (const name of BUILTIN_NAMES) {
    it(`${name}: PSA restricted label, default-deny NetworkPolicy, ResourceQuota, LimitRange, hardened containers`, async () => {
      const objects = await exported(name);
      const namespace = find(objects, 'Namespace');
      assert.equal(namespace?.metadata.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');

      const same = find(objects, 'NetworkPolicy', 'afp-same-namespace');
      // The analysis facility's MinIO console is ownerOnly: its pod is left to a policy of its own (below).
      const everyPod =
        name === 'analysis-facility'
          ? { matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'NotIn', values: ['minio'] }] }
          : {};
      assert.deepEqual(same?.spec, { podSelector: everyPod, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] });
      assert.ok(find(objects, 'ResourceQuota', 'afp-quota'));
      assert.ok(find(objects, 'LimitRange', 'afp-limits'));

      const workloads = objects.filter((object) => object.kind === 'Deployment' || object.kind === 'StatefulSet');
      assert.ok(workloads.length > 0);
      for (const workload of workloads) {
        const pod = podTemplate(workload).spec;
        assert.deepEqual(pod.securityContext, {
          runAsUser: 1000,
          runAsGroup: 1000,
          fsGroup: 1000,
          runAsNonRoot: true,
          seccompProfile: { type: 'RuntimeDefault' },
        });
        for (const container of pod.containers) {
          assert.deepEqual(container.securityContext, {
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
            readOnlyRootFilesystem: true,
          });
          const tmp = container.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
          assert.ok(
            pod.volumes?.find((volume) => volume.name === tmp?.name)?.emptyDir !== undefined,
            `${workload.metadata.name} has a writable /tmp`,
          );
        }
      }
    });
  }

  it('the hub configures KubeSpawner so users\' servers pass Pod Security "restricted" too, and its Role holds only pods, volumes and events', async () => {
    for (const name of ['jupyterhub', 'analysis-facility']) {
      const objects = await exported(name);
      const config = Object.values((find(objects, 'ConfigMap', 'hub-files')?.data ?? {}) as Record<string, string>).join('\n');
      assert.match(config, /c\.KubeSpawner\.uid = 1000\n/);
      assert.match(config, /c\.KubeSpawner\.allow_privilege_escalation = False/);
      assert.match(
        config,
        /c\.KubeSpawner\.pod_security_context = \{"runAsNonRoot": True, "seccompProfile": \{"type": "RuntimeDefault"\}\}/,
      );
      assert.match(config, /"capabilities": \{"drop": \["ALL"\]\}/);
      const role = find(objects, 'Role', 'hub') as { rules: { resources: string[]; verbs: string[] }[] } | undefined;
      assert.deepEqual(
        role?.rules.map((rule) => `${rule.verbs.join(',')} ${rule.resources.join(',')}`),
        ['get,watch,list,create,delete pods,persistentvolumeclaims', 'get,watch,list events'],
      );
    }
  });
});

describe('network isolation', () => {
  it('the ingress controller reaches only ports published by an Ingress; Dask is reached from inside the environment only', () => {
    const plan = renderPlan({
      template: builtin('analysis-facility'),
      environment: { name: 'af' },
      links: { ingressDomain: 'apps.example.org' },
    });
    const policies = plan.objects.filter((object) => object.kind === 'NetworkPolicy');
    assert.deepEqual(
      policies.map((policy) => policy.metadata.name),
      ['afp-ingress-proxy', 'afp-same-namespace', 'afp-same-namespace-minio'],
    );
    // MinIO's console signs in with any user's keys: the environment's own pods reach its S3 API only, the controller nothing.
    assert.deepEqual(policies.find((policy) => policy.metadata.name === 'afp-same-namespace-minio')?.spec, {
      podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'af', 'app.kubernetes.io/component': 'minio' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: 9000 }] }],
    });
    assert.equal(
      plan.objects.some((object) => object.kind === 'Ingress' && object.metadata.name.startsWith('minio')),
      false,
      'the console has no Ingress',
    );
    const proxy = policies.find((policy) => policy.metadata.name === 'afp-ingress-proxy');
    assert.deepEqual(proxy?.spec, {
      podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'af', 'app.kubernetes.io/component': 'proxy' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
            },
          ],
          ports: [{ protocol: 'TCP', port: 8000 }],
        },
      ],
    });
    // No policy but the namespace's own selects the scheduler or the workers.
    for (const policy of policies.filter((candidate) => candidate.metadata.name !== 'afp-same-namespace')) {
      const component = (policy.spec as { podSelector: { matchLabels: Record<string, string> } }).podSelector.matchLabels[
        'app.kubernetes.io/component'
      ];
      assert.ok(component !== 'scheduler' && component !== 'worker', policy.metadata.name);
    }
    assert.equal(
      plan.objects.some((object) => object.kind === 'Ingress' && object.metadata.name.startsWith('scheduler')),
      false,
    );
  });

  it("the site's ingress controller selector replaces the default", () => {
    const controller = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { app: 'traefik' } },
    };
    const plan = renderPlan({ template: builtin('jupyterhub'), environment: { name: 'jh' }, isolation: { ingressController: controller } });
    const proxy = plan.objects.find((object) => object.metadata.name === 'afp-ingress-proxy');
    assert.deepEqual((proxy?.spec as { ingress: { from: unknown[] }[] }).ingress[0]?.from, [controller]);
  });
});

describe('the quota holds the environment to its plan', () => {
  it('jupyterhub defaults: 3 users × (1 CPU, 2Gi, 10Gi home) + hub + proxy (+1 surge pod for its rolling update), plus 10%', () => {
    const plan = renderPlan({ template: builtin('jupyterhub'), environment: { name: 'jh' } });
    const hard = (plan.objects.find((object) => object.kind === 'ResourceQuota')?.spec as { hard: Record<string, string> }).hard;
    // pods: hub 1 + proxy 1 + surge 1 + users 3 = 6 → 6.6 → 7
    assert.equal(hard.pods, '7');
    // cpu: 500m + 2 × 200m + 3 × 1000m = 3900m → 4290m
    assert.equal(hard['requests.cpu'], '4290m');
    // memory: 1Gi + 2 × 256Mi + 3 × 2Gi = 7.5Gi → × 1.1
    assert.equal(hard['requests.memory'], `${Math.ceil(7.5 * 1024 * 1.1)}Mi`);
    // claims: the hub's database + one home per user = 4 → 5; storage 1Gi + 3 × 10Gi = 31Gi → × 1.1
    assert.equal(hard.persistentvolumeclaims, '5');
    assert.equal(hard['requests.storage'], `${Math.ceil(31 * 1024 * 1.1)}Mi`);
    const limits = (
      plan.objects.find((object) => object.kind === 'LimitRange')?.spec as { limits: { type: string; max: Record<string, string> }[] }
    ).limits;
    assert.deepEqual(limits.find((item) => item.type === 'Container')?.max, { cpu: '1000m', memory: '2048Mi' });
    assert.deepEqual(limits.find((item) => item.type === 'PersistentVolumeClaim')?.max, { storage: '10240Mi' });
  });

  it('every built-in and preset: the quota covers what the plan requests, and no more than the margin and the rolling surge add', () => {
    for (const name of BUILTIN_NAMES) {
      const template = builtin(name);
      for (const preset of [undefined, ...template.presets]) {
        const plan = renderPlan({ template, values: preset?.values ?? {}, environment: { name: 'q' } });
        const hard = (plan.objects.find((object) => object.kind === 'ResourceQuota')?.spec as { hard: Record<string, string> }).hard;
        let cpu = 0;
        let pods = 0;
        for (const pod of plan.pods) {
          pods += pod.replicas;
          for (const container of pod.spec.containers)
            cpu += quantitySize('cpu', String(container.resources?.requests?.cpu ?? '0')) * pod.replicas;
        }
        const quotaCpu = quantitySize('cpu', hard['requests.cpu'] ?? '0');
        assert.ok(quotaCpu >= cpu, `${name} ${preset?.name ?? 'defaults'}: ${quotaCpu} ≥ ${cpu}`);
        assert.ok(
          Number(hard.pods) >= pods && Number(hard.pods) <= Math.ceil(pods * 1.25 * 1.1) + 2,
          `${name}: ${hard.pods} pods for ${pods}`,
        );
      }
    }
  });
});

describe('what a site template can say about isolation', () => {
  const text = `apiVersion: afp.dev/v1
kind: Template
metadata: { name: tool, title: Tool, version: 1.0.0 }
quota: { margin: 0 }
components:
  tool:
    image: ghcr.io/example/tool:1.0
    replicas: 2
    strategy: Recreate
    securityContext: { runAsUser: 2000, readOnlyRootFilesystem: true }
    scratch: [/var/cache/tool]
    ports:
      - { name: web, port: 8080, expose: nodeport }
    resources:
      requests: { cpu: 250m, memory: 256Mi }
`;

  it('a NodePort is open to all on its port only; scratch paths and /tmp are writable under a read-only root; quota.margin 0 is exactly the plan', () => {
    const plan = renderPlan({ template: fromText(text, 'site/tool.yaml'), environment: { name: 'tool' } });
    const nodePort = plan.objects.find((object) => object.metadata.name === 'afp-nodeport-tool');
    assert.deepEqual((nodePort?.spec as { ingress: unknown[] }).ingress, [{ ports: [{ protocol: 'TCP', port: 8080 }] }]);
    const pod = podTemplate(plan.objects.find((object) => object.kind === 'Deployment') as KubeObject).spec;
    assert.equal(pod.securityContext?.runAsUser, 2000);
    assert.deepEqual(
      pod.containers[0]?.volumeMounts?.map((mount) => mount.mountPath),
      ['/var/cache/tool', '/tmp'],
    );
    const hard = (plan.objects.find((object) => object.kind === 'ResourceQuota')?.spec as { hard: Record<string, string> }).hard;
    assert.equal(hard.pods, '2', 'Recreate: no surge pod, no margin');
    assert.equal(hard['requests.cpu'], '500m');
  });

  it('an ownerOnly port is reached by no pod, and cannot be published or named by another component; its sibling ports stay open to the environment', () => {
    const guarded = text.replace(
      '      - { name: web, port: 8080, expose: nodeport }',
      '      - { name: web, port: 8080 }\n      - { name: admin, port: 8081, ownerOnly: true }',
    );
    const plan = renderPlan({ template: fromText(guarded, 'site/tool.yaml'), environment: { name: 'tool' } });
    const policies = plan.objects.filter((object) => object.kind === 'NetworkPolicy');
    assert.deepEqual(
      policies.map((policy) => [policy.metadata.name, policy.spec]),
      [
        [
          'afp-same-namespace',
          {
            podSelector: { matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'NotIn', values: ['tool'] }] },
            policyTypes: ['Ingress'],
            ingress: [{ from: [{ podSelector: {} }] }],
          },
        ],
        [
          'afp-same-namespace-tool',
          {
            podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'tool', 'app.kubernetes.io/component': 'tool' } },
            policyTypes: ['Ingress'],
            ingress: [{ from: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: 8080 }] }],
          },
        ],
      ],
    );
    const renderErrors = (source: string): ApiErrorShape[] => {
      try {
        renderPlan({ template: fromText(source, 'site/tool.yaml'), environment: { name: 'tool' } });
      } catch (error) {
        if (!isAfpError(error)) throw error;
        return problemsOf(error);
      }
      return assert.fail('expected the template to be refused when rendered');
    };
    const published = renderErrors(guarded.replace('port: 8081, ownerOnly: true', 'port: 8081, expose: ingress, ownerOnly: true'));
    assert.equal(published[0]?.line, 14);
    assert.match(published[0]?.message ?? '', /an ownerOnly port cannot be published \(expose: ingress\)/);
    const named = renderErrors(
      guarded.replace('    ports:', '    env:\n      - { name: ADMIN, component: { name: tool, port: admin } }\n    ports:'),
    );
    assert.match(named[0]?.message ?? '', /port "admin" of "tool" is ownerOnly: no pod may reach it/);
  });

  it('root, privilege escalation and non-root switched off are refused at their line', () => {
    for (const [field, line] of [
      ['runAsUser: 0', /root \(0\) cannot run under Pod Security "restricted"/],
      ['runAsNonRoot: false', /every container runs as non-root/],
      ['allowPrivilegeEscalation: true', /privilege escalation is refused/],
    ] as const) {
      const errors = errorsOf(text.replace('runAsUser: 2000', field), 'site/tool.yaml');
      assert.equal(errors[0]?.line, 10, field);
      assert.match(errors[0]?.message ?? '', line);
    }
  });
});
