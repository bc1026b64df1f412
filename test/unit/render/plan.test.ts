import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderPlan } from '../../../main/render/plan';
import { applysetId } from '../../../main/render/applyset';
import type { KubeObject, Plan } from '../../../main/render/types';
import { builtin, fromText, SMALL } from '../catalogue/fixtures';

type Pod = {
  metadata: { annotations: Record<string, string> };
  spec: { containers: { args?: string[]; resources: { requests: Record<string, string>; limits: Record<string, string> } }[] };
};
const workload = (plan: Plan, name: string): KubeObject & { spec: { replicas: number; template: Pod } } =>
  plan.objects.find(
    (object) => (object.kind === 'Deployment' || object.kind === 'StatefulSet') && object.metadata.name === name,
  ) as KubeObject & { spec: { replicas: number; template: Pod } };
const hashOf = (plan: Plan, name: string): string => workload(plan, name).spec.template.metadata.annotations['afp.dev/config-hash'] ?? '';

describe('renderPlan', () => {
  it('--set workers=7 gives 7 Dask workers with the requested resources per worker', () => {
    const plan = renderPlan({
      template: builtin('dask'),
      values: { workers: 7, workerCpu: '2', workerMemory: '3Gi' },
      environment: { name: 'd' },
    });
    const worker = workload(plan, 'worker');
    assert.equal(worker.spec.replicas, 7);
    const container = worker.spec.template.spec.containers[0];
    assert.deepEqual(container?.resources, { requests: { cpu: '2', memory: '3Gi' }, limits: { cpu: '2', memory: '3Gi' } });
    assert.deepEqual(container?.args, [
      '$(DASK_SCHEDULER_ADDRESS)',
      '--nthreads',
      '2',
      '--memory-limit',
      String(3 * 2 ** 30),
      '--dashboard-address=:8788',
      '--local-directory=/tmp',
    ]);
    const pod = plan.pods.find((candidate) => candidate.name === 'worker');
    assert.equal(pod?.replicas, 7);
    assert.deepEqual(pod?.spec.containers[0]?.resources?.requests, { cpu: '2', memory: '3Gi' });
    assert.deepEqual(plan.values, { workers: 7, workerCpu: '2', workerMemory: '3Gi' });
  });

  it('a config change changes the config hash of the pods that read it, and only theirs', () => {
    const template = builtin('jupyterhub');
    const secrets = renderPlan({ template, environment: { name: 'jh' } }).generatedSecrets;
    const before = renderPlan({ template, environment: { name: 'jh' }, secrets });
    const again = renderPlan({ template, environment: { name: 'jh' }, secrets });
    const changed = renderPlan({ template, values: { userMemory: '3Gi' }, environment: { name: 'jh' }, secrets });
    assert.equal(hashOf(before, 'hub'), hashOf(again, 'hub'));
    assert.notEqual(hashOf(before, 'hub'), hashOf(changed, 'hub'), 'the hub config file changed');
    assert.equal(hashOf(before, 'proxy'), hashOf(changed, 'proxy'), 'the proxy reads nothing that changed');
    const rotated = renderPlan({ template, environment: { name: 'jh' }, secrets: { ...secrets, 'hub.proxy-token': 'x'.repeat(64) } });
    assert.notEqual(hashOf(before, 'proxy'), hashOf(rotated, 'proxy'), 'a secret the proxy reads changed');
    assert.match(hashOf(before, 'hub'), /^[0-9a-f]{64}$/);
  });

  it('generates strong secrets once and keeps them when passed back', () => {
    const template = builtin('analysis-facility');
    const first = renderPlan({ template, environment: { name: 'af' } });
    const keys = Object.keys(first.generatedSecrets).sort();
    assert.deepEqual(keys, ['hub.cookie-secret', 'hub.password', 'hub.proxy-token', 'minio-root.password', 'minio-root.user']);
    assert.match(first.generatedSecrets['minio-root.password'] ?? '', /^[A-Za-z0-9]{40}$/);
    assert.match(first.generatedSecrets['hub.cookie-secret'] ?? '', /^[0-9a-f]{64}$/);
    const other = renderPlan({ template, environment: { name: 'af' } });
    for (const key of keys) assert.notEqual(first.generatedSecrets[key], other.generatedSecrets[key], `${key} is random`);
    const kept = renderPlan({ template, environment: { name: 'af' }, secrets: first.generatedSecrets });
    assert.deepEqual(kept.generatedSecrets, first.generatedSecrets);
    const secret = kept.objects.find((object) => object.kind === 'Secret' && object.metadata.name === 'minio-root') as unknown as {
      data: Record<string, string>;
    };
    assert.equal(Buffer.from(secret.data.password ?? '', 'base64').toString('utf8'), first.generatedSecrets['minio-root.password']);
  });

  it('is deterministic given the same secrets', () => {
    const template = builtin('analysis-facility');
    const first = renderPlan({
      template,
      environment: { name: 'af', id: '0b7c1e4e-2f9c-4d43-9a52-1f0e5b7a3c11' },
      links: { ingressDomain: 'apps.example.org' },
    });
    const second = renderPlan({
      template,
      environment: { name: 'af', id: '0b7c1e4e-2f9c-4d43-9a52-1f0e5b7a3c11' },
      links: { ingressDomain: 'apps.example.org' },
      secrets: first.generatedSecrets,
    });
    assert.deepEqual(second, first);
  });

  it('carries ApplySet membership (KEP-3659): a parent Secret with the id, tooling and kinds; part-of on every member', () => {
    const plan = renderPlan({ template: builtin('minio'), environment: { name: 'store', namespace: 'team-store' } });
    const id = applysetId('afp-applyset', 'team-store', 'Secret', '');
    assert.match(id, /^applyset-[A-Za-z0-9_-]{43}-v1$/);
    assert.equal(plan.applyset.id, id);
    const parent = plan.objects.find((object) => object.metadata.labels?.['applyset.kubernetes.io/id'] !== undefined);
    assert.equal(parent?.kind, 'Secret');
    assert.equal(parent?.metadata.namespace, 'team-store');
    assert.equal(parent?.metadata.annotations?.['applyset.kubernetes.io/tooling'], 'afp/v1');
    assert.equal(
      parent?.metadata.annotations?.['applyset.kubernetes.io/contains-group-kinds'],
      'Deployment.apps,LimitRange,Namespace,NetworkPolicy.networking.k8s.io,PersistentVolumeClaim,ResourceQuota,Secret,Service',
    );
    for (const object of plan.objects) {
      if (object === parent) assert.equal(object.metadata.labels?.['applyset.kubernetes.io/part-of'], undefined);
      else assert.equal(object.metadata.labels?.['applyset.kubernetes.io/part-of'], id, `${object.kind} ${object.metadata.name}`);
    }
  });

  it('orders waves: Namespace, then accounts/RBAC/secrets/config/claims/policies, then Services and the quota, then workloads, then Ingress', () => {
    const plan = renderPlan({ template: builtin('jupyterhub'), environment: { name: 'jh' }, links: { ingressDomain: 'apps.example.org' } });
    assert.deepEqual(
      plan.waves.map((wave) => [...new Set(wave.map((object) => object.kind))]),
      [
        ['Namespace'],
        ['ServiceAccount', 'Role', 'RoleBinding', 'Secret', 'ConfigMap', 'PersistentVolumeClaim', 'LimitRange', 'NetworkPolicy'],
        ['ResourceQuota', 'Service'],
        ['Deployment'],
        ['Ingress'],
      ],
    );
    assert.deepEqual(plan.objects, plan.waves.flat());
  });

  it('links: an ingress link gets its URL from the ingress domain; without one it is reached through its Service', () => {
    const withDomain = renderPlan({
      template: builtin('minio'),
      environment: { name: 'd' },
      links: { ingressDomain: 'apps.example.org', tls: true },
    });
    assert.deepEqual(withDomain.links[0], {
      id: 'minio-console',
      title: 'MinIO console',
      description: 'Buckets, objects and access keys',
      component: 'minio',
      service: 'minio',
      port: 9001,
      portName: 'console',
      path: '/',
      scheme: 'https',
      expose: 'ingress',
      host: 'minio-d.apps.example.org',
      url: 'https://minio-d.apps.example.org/',
    });
    const ingress = withDomain.objects.find((object) => object.kind === 'Ingress') as unknown as { spec: { tls: { hosts: string[] }[] } };
    assert.deepEqual(ingress.spec.tls[0]?.hosts, ['minio-d.apps.example.org']);
    const without = renderPlan({ template: builtin('minio'), environment: { name: 'd' } });
    assert.equal(
      without.objects.some((object) => object.kind === 'Ingress'),
      false,
    );
    assert.equal(without.links[0]?.expose, 'cluster');
    assert.equal(without.links[0]?.url, undefined);
  });

  it('the Dask dashboard, which has no login, is never published on an Ingress: reached through its Service (port-forward)', () => {
    const plan = renderPlan({
      template: builtin('dask'),
      environment: { name: 'd' },
      links: { ingressDomain: 'apps.example.org', tls: true },
    });
    assert.equal(
      plan.objects.some((object) => object.kind === 'Ingress'),
      false,
    );
    assert.equal(plan.links[0]?.id, 'dask-dashboard');
    assert.equal(plan.links[0]?.expose, 'cluster');
    assert.equal(plan.links[0]?.url, undefined);
  });

  it('refuses a bad environment name, and values before rendering anything', () => {
    assert.throws(() => renderPlan({ template: builtin('dask'), environment: { name: 'My Env' } }), {
      code: 'invalid_input',
      field: 'environment.name',
    });
    assert.throws(() => renderPlan({ template: builtin('dask'), environment: { name: 'kube-system' } }), { code: 'invalid_input' });
    assert.throws(() => renderPlan({ template: builtin('dask'), values: { workerMemory: '4 GB' }, environment: { name: 'd' } }), {
      code: 'invalid_input',
      field: 'workerMemory',
      message: 'expected a memory quantity such as 4Gi, 512Mi or 4G, got "4 GB"',
    });
  });

  it('StatefulSet components get volumeClaimTemplates; files live in one ConfigMap mounted by subPath', () => {
    const text = SMALL.replace(
      '  scheduler:\n    image',
      '  scheduler:\n    kind: StatefulSet\n    volumes: [{ name: data, size: 5Gi, mountPath: /data }]\n    files:\n      - { path: /etc/a/one.conf, content: "one" }\n      - { path: /etc/b/one.conf, content: "two" }\n    image',
    );
    const plan = renderPlan({ template: fromText(text), environment: { name: 's' } });
    const set = plan.objects.find((object) => object.kind === 'StatefulSet') as unknown as {
      spec: {
        serviceName: string;
        volumeClaimTemplates: { metadata: { name: string } }[];
        template: { spec: { containers: { volumeMounts: { mountPath: string; subPath?: string }[] }[] } };
      };
    };
    assert.equal(set.spec.serviceName, 'scheduler');
    assert.deepEqual(
      set.spec.volumeClaimTemplates.map((claim) => claim.metadata.name),
      ['data'],
    );
    assert.equal(
      plan.objects.some((object) => object.kind === 'PersistentVolumeClaim'),
      false,
    );
    const config = plan.objects.find((object) => object.kind === 'ConfigMap') as unknown as {
      metadata: { name: string };
      data: Record<string, string>;
    };
    assert.equal(config.metadata.name, 'scheduler-files');
    assert.deepEqual(config.data, { 'one.conf': 'one', 'one.conf-2': 'two' });
    assert.deepEqual(
      set.spec.template.spec.containers[0]?.volumeMounts.map((mount) => `${mount.mountPath}:${mount.subPath ?? ''}`),
      ['/data:', '/etc/a/one.conf:one.conf', '/etc/b/one.conf:one.conf-2'],
    );
  });
});
