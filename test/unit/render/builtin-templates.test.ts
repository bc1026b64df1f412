import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1PodSpec } from '@kubernetes/client-node';
import { predictFit } from '../../../main/capacity/fit';
import type { PlanPod } from '../../../main/capacity/plan-pods';
import { snapshotFromProfile } from '../../../main/capacity/snapshot-profile';
import { renderPlan } from '../../../main/render/plan';
import { KINDS, kindKey } from '../../../main/render/models';
import type { Plan } from '../../../main/render/types';
import { BUILTIN_NAMES, builtin } from '../catalogue/fixtures';

/** Either spec type describes the same JSON (main/capacity/plan-pods.ts); the capacity engine reads the client's. */
const clientSpec = (spec: PlanPod['spec']): V1PodSpec => spec as V1PodSpec;

const WAVE_OF: Record<string, number> = {
  Namespace: 0,
  ServiceAccount: 1,
  Role: 1,
  RoleBinding: 1,
  Secret: 1,
  ConfigMap: 1,
  PersistentVolumeClaim: 1,
  LimitRange: 1,
  NetworkPolicy: 1,
  ResourceQuota: 2,
  Service: 2,
  Deployment: 3,
  StatefulSet: 3,
  Ingress: 4,
};

function everyObjectValidates(plan: Plan): void {
  for (const object of plan.objects) {
    const info = KINDS[kindKey(object.apiVersion, object.kind)];
    assert.ok(info !== undefined, `${object.kind} is a known kind`);
    assert.doesNotThrow(() => new info.model(object as never).validate(), `${object.kind} ${object.metadata.name}`);
  }
}

describe('every built-in template with every preset renders and validates', () => {
  for (const name of BUILTIN_NAMES) {
    const template = builtin(name);
    for (const preset of [undefined, ...template.presets]) {
      for (const ingressDomain of [undefined, 'apps.example.org']) {
        it(`${name} ${preset?.name ?? 'defaults'}${ingressDomain === undefined ? '' : ' with an ingress domain'}`, () => {
          const plan = renderPlan({
            template,
            values: preset?.values ?? {},
            environment: { name: `${name}-test` },
            links: ingressDomain === undefined ? {} : { ingressDomain, tls: true },
          });
          everyObjectValidates(plan);
          assert.equal(plan.objects[0]?.kind, 'Namespace');
          const waves = plan.waves.map((wave) => [...new Set(wave.map((object) => WAVE_OF[object.kind]))]);
          for (const [index, kinds] of waves.entries()) assert.equal(kinds.length, 1, `wave ${index} holds one stage`);
          const stages = waves.map((kinds) => kinds[0] ?? -1);
          assert.deepEqual(
            stages,
            [...stages].sort((a, b) => a - b),
            'waves in dependency order',
          );
          for (const object of plan.objects) {
            const labels = object.metadata.labels ?? {};
            assert.equal(labels['app.kubernetes.io/managed-by'], 'afp');
            assert.equal(labels['app.kubernetes.io/instance'], `${name}-test`);
            assert.equal(labels['app.kubernetes.io/part-of'], name);
            assert.equal(labels['afp.dev/environment-id'], plan.environment.id);
            if (object.kind !== 'Namespace') assert.equal(object.metadata.namespace, `${name}-test`);
          }
          for (const link of plan.links) {
            if (ingressDomain !== undefined && link.expose === 'ingress')
              assert.match(link.url ?? '', /^https:\/\/[a-z0-9-]+\.apps\.example\.org\//);
          }
        });
      }
    }
  }
});

describe('the built-in contents', () => {
  const kinds = (plan: Plan): string[] => plan.objects.map((object) => `${object.kind}/${object.metadata.name}`);

  it('jupyterhub: RBAC for KubeSpawner, config in a ConfigMap and a Secret, hub-db-dir, Recreate, /_chp_healthz, Services hub, proxy-api, proxy-public', () => {
    const plan = renderPlan({ template: builtin('jupyterhub'), environment: { name: 'jh' } });
    for (const expected of [
      'ServiceAccount/hub',
      'Role/hub',
      'RoleBinding/hub',
      'ConfigMap/hub-files',
      'Secret/hub',
      'PersistentVolumeClaim/hub-db-dir',
      'Service/hub',
      'Service/proxy-api',
      'Service/proxy-public',
      'Deployment/hub',
      'Deployment/proxy',
    ]) {
      assert.ok(kinds(plan).includes(expected), expected);
    }
    const hub = plan.objects.find((object) => object.kind === 'Deployment' && object.metadata.name === 'hub') as unknown as {
      spec: {
        strategy: { type: string };
        template: { spec: { serviceAccountName?: string; containers: { image: string; readinessProbe: { httpGet: { path: string } } }[] } };
      };
    };
    assert.equal(hub.spec.strategy.type, 'Recreate');
    assert.equal(hub.spec.template.spec.serviceAccountName, 'hub');
    assert.match(hub.spec.template.spec.containers[0]?.image ?? '', /^quay\.io\/jupyterhub\/k8s-hub:4\./);
    assert.equal(hub.spec.template.spec.containers[0]?.readinessProbe.httpGet.path, '/hub/health');
    const proxy = plan.objects.find((object) => object.kind === 'Deployment' && object.metadata.name === 'proxy') as unknown as {
      spec: { template: { spec: { containers: { readinessProbe: { httpGet: { path: string } } }[] } } };
    };
    assert.equal(proxy.spec.template.spec.containers[0]?.readinessProbe.httpGet.path, '/_chp_healthz');
    const proxyPublic = plan.objects.find((object) => object.kind === 'Service' && object.metadata.name === 'proxy-public') as unknown as {
      spec: { ports: { port: number; targetPort: string }[] };
    };
    assert.deepEqual(
      proxyPublic.spec.ports.map((port) => [port.port, port.targetPort]),
      [[80, 'http']],
    );
    const user = plan.pods.find((pod) => pod.spawned);
    assert.equal(user?.replicas, 3);
  });

  it("analysis-facility: user pods get DASK_SCHEDULER_ADDRESS; MinIO's root keys reach the hub from the Secret, never inline, and no user pod", () => {
    const plan = renderPlan({ template: builtin('analysis-facility'), environment: { name: 'af' } });
    const config = plan.objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === 'hub-files') as unknown as {
      data: Record<string, string>;
    };
    const text = config.data['jupyterhub_config.py'] ?? '';
    assert.match(text, /"DASK_SCHEDULER_ADDRESS": os\.environ\["AFP_DASK_SCHEDULER_ADDRESS"\]/);
    // Users' servers get keys of their own from the hub's pre-spawn hook (test/unit/render/hub-minio-users.test.ts).
    assert.doesNotMatch(text, /minio-root/, "no user server refers to MinIO's root Secret");
    assert.match(text, /^c\.KubeSpawner\.pre_spawn_hook = minio_credentials$/m);
    const minioPassword = plan.generatedSecrets['minio-root.password'] ?? 'missing';
    for (const object of plan.objects) {
      if (object.kind === 'Secret') continue;
      const text = JSON.stringify(object);
      assert.ok(
        !text.includes(minioPassword),
        `${object.kind} ${object.metadata.name} holds the MinIO password inline: ${text.slice(Math.max(0, text.indexOf(minioPassword) - 120), text.indexOf(minioPassword) + 60)}`,
      );
    }
    const hub = plan.objects.find((object) => object.kind === 'Deployment' && object.metadata.name === 'hub') as unknown as {
      spec: { template: { spec: { containers: { env: { name: string; value?: string; valueFrom?: unknown }[] }[] } } };
    };
    const env = Object.fromEntries((hub.spec.template.spec.containers[0]?.env ?? []).map((variable) => [variable.name, variable]));
    assert.equal(env.AFP_DASK_SCHEDULER_ADDRESS?.value, 'tcp://scheduler:8786');
    assert.equal(env.AFP_MINIO_ENDPOINT?.value, 'http://minio:9000');
    assert.deepEqual(env.AFP_MINIO_ROOT_USER?.valueFrom, { secretKeyRef: { name: 'minio-root', key: 'user' } });
    assert.deepEqual(env.AFP_MINIO_ROOT_PASSWORD?.valueFrom, { secretKeyRef: { name: 'minio-root', key: 'password' } });
  });

  it('analysis-facility medium fits the Naples shape (1 × 32 CPU / 64Gi + 5 × 8 CPU / 16Gi), user servers included', () => {
    const template = builtin('analysis-facility');
    const medium = template.presets.find((preset) => preset.name === 'medium');
    const plan = renderPlan({ template, values: medium?.values ?? {}, environment: { name: 'af' } });
    const snapshot = snapshotFromProfile({
      nodes: [
        { name: 'big', cpu: 32, memory: '64Gi' },
        { name: 'worker', count: 5, cpu: 8, memory: '16Gi' },
      ],
    });
    const pods = plan.pods.flatMap((pod) => {
      const spec = clientSpec(pod.spec);
      return Array.from({ length: pod.replicas }, (_, index) => ({
        component: pod.component,
        name: `${pod.name}-${index}`,
        spec,
        spreadGroup: pod.name,
      }));
    });
    const report = predictFit(snapshot, pods, { skipHeadroom: true });
    assert.equal(report.allFit, true, JSON.stringify(report.perPod.filter((pod) => !pod.fits).map((pod) => pod.message)));
    assert.equal(pods.length, 14, 'scheduler, minio, hub, proxy, 6 workers, 4 user servers');
  });
});
