import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { renderPlan } from '../../../main/render/plan';
import { checkCapabilities, renderTosca } from '../../../main/render/tosca/render-tosca';
import { traitsOf } from '../../../main/targets/kinds/traits';
import { builtin, fromText, SMALL } from '../catalogue/fixtures';
import { imFacilityPlan } from './im-facility';

type Tosca = {
  metadata: Record<string, string>;
  topology_template: { node_templates: Record<string, Record<string, unknown>>; outputs?: Record<string, { value: unknown }> };
};
const toscaOf = (yaml: string): Tosca => parse(yaml) as Tosca;

describe('TOSCA for IM and the capability check', () => {
  it('the kube target can create everything', () => {
    const plan = renderPlan({ template: builtin('jupyterhub'), environment: { name: 'jh' } });
    assert.deepEqual(traitsOf('kube').capability(plan), { ok: true, items: [] });
  });

  it('JupyterHub is refused for IM with the exact reason, object by object', () => {
    const plan = renderPlan({ template: builtin('jupyterhub'), environment: { name: 'jh' }, target: 'im' });
    const check = traitsOf('im').capability(plan);
    assert.deepEqual(checkCapabilities(plan), check);
    assert.equal(check.ok, false);
    const refused = check.items.filter((item) => item.severity === 'refused');
    for (const object of ['ServiceAccount hub', 'Role hub', 'RoleBinding hub']) {
      assert.deepEqual(
        refused.find((item) => item.object === object)?.reason,
        "JupyterHub's KubeSpawner needs a ServiceAccount, Role and RoleBinding to start each user's server, which IM's Kubernetes connector cannot create",
      );
    }
    assert.ok(
      refused.some(
        (item) =>
          item.object === 'Deployment hub' && item.reason === 'runs as ServiceAccount "hub", which IM\'s Kubernetes connector cannot set',
      ),
    );
    assert.deepEqual(traitsOf('dispatcher').capability(plan), check, 'the dispatcher forwards to the same IM');
  });

  it('Dask through IM: the scheduler inside the cluster, its dashboard not exposed, and everyone speaking mutual TLS with certificates of this environment', () => {
    const plan = renderPlan({ template: builtin('dask'), environment: { name: 'd' }, target: 'im' });
    const { yaml, check } = renderTosca(plan);
    assert.deepEqual(
      check.items.filter((item) => item.severity === 'refused'),
      [],
    );
    const nodes = toscaOf(yaml).topology_template.node_templates;
    const host = (node: string): Record<string, unknown> =>
      (nodes[`${node}_runtime`]?.capabilities as { host: { properties: Record<string, unknown> } }).host.properties;
    assert.deepEqual(host('scheduler').expose_ports, [{ protocol: 'tcp', target: 8786 }], 'the dashboard is not exposed');
    assert.equal(host('scheduler').publish_ports, undefined);
    const scheduler = nodes.scheduler?.properties as { command: string[]; environment: Record<string, unknown> };
    assert.ok(scheduler.command.includes('--protocol=tls'));
    assert.ok(scheduler.command.includes('--dashboard-address=127.0.0.1:8787'), 'the dashboard listens inside its pod only');
    assert.equal(scheduler.environment.DASK_DISTRIBUTED__COMM__REQUIRE_ENCRYPTION, 'True');
    const worker = nodes['worker-0'] as {
      properties: { command: string[]; environment: Record<string, unknown> };
      artifacts: Record<string, { deploy_path: string; properties: { content: string } }>;
    };
    assert.deepEqual(worker.properties.environment.DASK_SCHEDULER_ADDRESS, {
      concat: ['tls://', { get_attribute: ['scheduler', 'endpoints', 0] }],
    });
    assert.ok(worker.properties.command.includes('--tls-cert=/etc/dask/tls/worker.pem'));
    // Base64 content makes IM create a Secret (not a ConfigMap) that Kubernetes decodes into the PEM file.
    const files = Object.fromEntries(
      Object.values(worker.artifacts)
        .filter((artifact) => artifact.deploy_path !== undefined)
        .map((artifact) => [artifact.deploy_path, Buffer.from(artifact.properties.content, 'base64').toString('utf8')]),
    );
    const ca = new X509Certificate(files['/etc/dask/tls/ca.pem'] ?? '');
    assert.ok(new X509Certificate(files['/etc/dask/tls/worker.pem'] ?? '').verify(ca.publicKey));
    assert.match(files['/etc/dask/tls/worker.pem'] ?? '', /BEGIN PRIVATE KEY/);
    assert.deepEqual(plan.links, [], 'no dashboard link through IM');
  });

  it('the Kubernetes shape of Dask is unchanged: no TLS secret, comm inside the cluster, dashboard link', () => {
    const plan = renderPlan({ template: builtin('dask'), environment: { name: 'd' } });
    assert.ok(!plan.objects.some((object) => object.metadata.name === 'dask-tls'));
    assert.deepEqual(plan.components.find((c) => c.name === 'scheduler')?.args, ['--port=8786', '--dashboard-address=:8787']);
    assert.deepEqual(
      plan.links.map((link) => link.id),
      ['dask-dashboard'],
    );
  });

  it('the analysis facility through IM: no hub, one JupyterLab per named user with its own token and link, Dask over TLS and MinIO inside the cluster', () => {
    const plan = imFacilityPlan('bob, group:physics Carol.Smith bob');
    const { yaml, check } = renderTosca(plan);
    assert.deepEqual(
      check.items.filter((item) => item.severity === 'refused'),
      [],
    );
    const nodes = toscaOf(yaml).topology_template.node_templates;
    const containers = Object.keys(nodes).filter((name) => nodes[name]?.type === 'tosca.nodes.Container.Application.Docker');
    assert.deepEqual(containers.sort(), [
      'lab-alice',
      'lab-bob',
      'lab-carol-smith',
      'minio',
      'minio-users',
      'scheduler',
      'worker-0',
      'worker-1',
    ]);
    const env = (node: string): Record<string, unknown> =>
      (nodes[node]?.properties as { environment: Record<string, unknown> }).environment;
    const tokens = ['lab-alice', 'lab-bob', 'lab-carol-smith'].map((lab) => env(lab).JUPYTER_TOKEN);
    assert.equal(new Set(tokens).size, 3, 'each user has a token of their own');
    for (const token of tokens) assert.match(String(token), /^[A-Za-z0-9]{32}$/);
    assert.deepEqual(env('lab-bob').DASK_SCHEDULER_ADDRESS, { concat: ['tls://', { get_attribute: ['scheduler', 'endpoints', 0] }] });
    assert.equal(env('lab-bob').DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT, '/etc/dask/tls/client.pem');
    assert.deepEqual(env('lab-bob').AWS_ENDPOINT_URL, { concat: ['http://', { get_attribute: ['minio', 'endpoints', 0] }] });
    const minioHost = (nodes.minio_runtime?.capabilities as { host: { properties: Record<string, unknown> } }).host.properties;
    assert.deepEqual(minioHost.expose_ports, [{ protocol: 'tcp', target: 9000 }], 'the console is not exposed through IM');
    // Bob's own MinIO key, not the root one (test/unit/render/im-minio-users.test.ts).
    assert.equal(env('lab-bob').AWS_SECRET_ACCESS_KEY, plan.secretValues['lab-storage.bob']);
    const outputs = toscaOf(yaml).topology_template.outputs ?? {};
    assert.deepEqual(outputs.lab_carol_smith_endpoint, { value: { get_attribute: ['lab-carol-smith', 'endpoints', 0] } });
    assert.deepEqual(
      plan.links.map((link) => [link.id, link.title, link.path]),
      [
        ['lab-alice', 'JupyterLab (alice)', '/lab'],
        ['lab-bob', 'JupyterLab (bob)', '/lab'],
        ['lab-carol-smith', 'JupyterLab (Carol.Smith)', '/lab'],
      ],
    );
    assert.deepEqual(
      plan.credentials.filter((c) => c.secret.name === 'lab-tokens').map((c) => [c.title, c.username, c.secret]),
      [
        ['JupyterLab token (alice)', 'alice', { name: 'lab-tokens', key: 'alice' }],
        ['JupyterLab token (bob)', 'bob', { name: 'lab-tokens', key: 'bob' }],
        ['JupyterLab token (Carol.Smith)', 'Carol.Smith', { name: 'lab-tokens', key: 'carol-smith' }],
      ],
    );
    assert.ok(!plan.objects.some((object) => ['ServiceAccount', 'Role', 'RoleBinding'].includes(object.kind)), 'no RBAC through IM');
  });

  it("a Dask whose dashboard is published is refused: IM 2.0.0 cannot give workers a published container's address", () => {
    const text = readFileSync(new URL('../../../templates/dask.yaml', import.meta.url), 'utf8')
      .replace(
        `{ name: comm, port: 8786, expose: { $if: "target == 'kube'", then: cluster, else: nodeport } }`,
        '{ name: comm, port: 8786 }',
      )
      .replace(
        `{ name: dashboard, port: 8787, expose: { $if: "target == 'kube'", then: cluster, else: none } }`,
        '{ name: dashboard, port: 8787, expose: ingress }',
      );
    assert.match(text, /port: 8787, expose: ingress/);
    const plan = renderPlan({ template: fromText(text, 'published-dask.yaml'), environment: { name: 'd' }, target: 'im' });
    const { check } = renderTosca(plan);
    assert.deepEqual(
      check.items.filter((item) => item.severity === 'refused'),
      [
        {
          object: 'Deployment worker',
          severity: 'refused',
          reason:
            "environment variable DASK_SCHEDULER_ADDRESS needs scheduler's address, but scheduler publishes dashboard and IM 2.0.0 cannot give other containers the address of a published container (it refuses the document: \"cannot access local variable 'vm'\")",
          // The same reason as an id and parameters, for the Review page in the user's language.
          id: 'im.envPublished',
          params: { variable: 'DASK_SCHEDULER_ADDRESS', other: 'scheduler', ports: 'dashboard' },
        },
      ],
    );
  });

  it('MinIO maps, and every difference is listed', () => {
    const plan = renderPlan({
      template: builtin('minio'),
      environment: { name: 'store' },
      target: 'im',
      links: { ingressDomain: 'apps.example.org', tls: true },
    });
    const { yaml, check } = renderTosca(plan);
    assert.equal(check.ok, true);
    const reasons = check.items.map((item) => item.reason).join('\n');
    assert.match(reasons, /MINIO_ROOT_USER, MINIO_ROOT_PASSWORD take their generated secret value written into the TOSCA document/);
    assert.match(reasons, /sets no readiness or liveness probe/);
    assert.match(reasons, /IM's connector creates no NetworkPolicy/);
    assert.match(reasons, /IM's connector sets no security context and no Pod Security label/);
    assert.match(reasons, /requests equal to limits: each replica requests cpu 1 and memory 2Gi/);
    const tosca = toscaOf(yaml);
    assert.deepEqual(tosca.metadata.namespace, 'store');
    const nodes = tosca.topology_template.node_templates;
    assert.deepEqual(Object.keys(nodes), ['minio', 'minio_runtime', 'minio-export']);
    assert.deepEqual((nodes.minio?.properties as { command: string[] }).command, [
      'minio',
      'server',
      '/export',
      '--address',
      ':9000',
      '--console-address',
      ':9001',
      '--certs-dir',
      '/tmp/certs',
    ]);
    assert.deepEqual(nodes['minio-export'], { type: 'tosca.nodes.BlockStorage', properties: { size: '20 GiB' } });
    const host = (nodes.minio_runtime?.capabilities as { host: { properties: Record<string, unknown> } }).host.properties;
    assert.match(yaml, /num_cpus: 1\.0\n/, 'IM reads num_cpus as a float');
    assert.equal(host.mem_size, '2 GiB');
    assert.deepEqual(host.publish_ports, [
      { protocol: 'tcp', target: 9001, endpoint: 'https://minio-store.apps.example.org/' },
      { protocol: 'tcp', target: 9000 },
    ]);
    assert.deepEqual(host.volumes, ['minio-export:/export']);
    assert.deepEqual(tosca.topology_template.outputs?.minio_console_endpoint, { value: { get_attribute: ['minio', 'endpoints', 0] } });
  });

  it("a component address becomes IM's endpoints attribute; replicas become separate containers", () => {
    const plan = renderPlan({ template: fromText(SMALL), values: { workers: 3 }, environment: { name: 's' }, target: 'im' });
    const { yaml, check } = renderTosca(plan);
    assert.equal(check.ok, false, 'SMALL has no resources on the scheduler');
    assert.ok(check.items.some((item) => item.object === 'Deployment scheduler' && /needs a CPU and a memory size/.test(item.reason)));
    const nodes = toscaOf(yaml).topology_template.node_templates;
    assert.deepEqual(
      Object.keys(nodes).filter((name) => !name.endsWith('_runtime')),
      ['scheduler', 'worker-0', 'worker-1', 'worker-2'],
    );
    assert.deepEqual((nodes['worker-1']?.properties as { environment: unknown }).environment, {
      DASK_SCHEDULER_ADDRESS: { concat: ['tcp://', { get_attribute: ['scheduler', 'endpoints', 0] }] },
    });
    // IM merges a required node's artifacts (image, files) into the requiring one's: no dependency is written.
    assert.deepEqual(nodes['worker-2']?.requirements, [{ host: 'worker-2_runtime' }]);
    assert.ok(
      check.items.some((item) => item.object === 'Deployment worker' && item.reason.startsWith('starts without waiting for scheduler')),
    );
    assert.ok(check.items.some((item) => item.reason.startsWith('3 replicas become 3 separate containers (worker-0 … worker-2)')));
  });

  it("files: one ConfigMap of one key per file, mounted by subPath; base64-looking text and secrets survive IM's Secret guess", () => {
    const text = SMALL.replace(
      '  scheduler:\n    image',
      [
        '  scheduler:',
        '    resources: { limits: { cpu: "1", memory: 1Gi } }',
        '    files:',
        '      - { path: /etc/app/app.conf, content: "port = 8786" }',
        '      - { path: /etc/app/flag, content: "true" }',
        '      - { path: /etc/app/token, secret: { name: app, key: token } }',
        '    image',
      ].join('\n'),
    ).replace('components:', 'secrets:\n  app:\n    keys:\n      token: { generate: hex }\ncomponents:');
    const plan = renderPlan({ template: fromText(text), values: { workers: 1 }, environment: { name: 's' }, target: 'im' });
    const { yaml, check } = renderTosca(plan);
    const artifacts = toscaOf(yaml).topology_template.node_templates.scheduler?.artifacts as Record<
      string,
      { deploy_path?: string; type: string; properties?: { content: string } }
    >;
    assert.deepEqual(artifacts.file_1, {
      deploy_path: '/etc/app/app.conf',
      type: 'tosca.artifacts.File',
      properties: { content: 'port = 8786' },
    });
    assert.deepEqual(artifacts.file_2?.properties?.content, Buffer.from('true').toString('base64'));
    assert.deepEqual(artifacts.file_3?.properties?.content, Buffer.from(plan.generatedSecrets['app.token'] ?? '').toString('base64'));
    const reasons = check.items.filter((item) => item.object === 'Deployment scheduler').map((item) => item.reason);
    assert.ok(
      reasons.includes("2 files become 2 ConfigMaps of one key each, mounted by subPath (IM's connector holds one key per ConfigMap)"),
    );
    assert.ok(
      reasons.includes(
        "file /etc/app/flag becomes a Secret instead of a ConfigMap (its text looks like base64 to IM); the file's text is unchanged",
      ),
    );
    assert.ok(reasons.some((reason) => reason.startsWith('file /etc/app/token holds secret app/token')));
  });

  it('nothing is dropped silently: every kube object is either in the TOSCA or named in the check', () => {
    for (const name of ['analysis-facility', 'jupyterhub', 'dask', 'minio']) {
      const plan = renderPlan({ template: builtin(name), environment: { name: 'x' }, target: 'im' });
      const { yaml, check } = renderTosca(plan);
      const nodes = Object.keys(toscaOf(yaml).topology_template.node_templates);
      const named = new Set(check.items.map((item) => item.object));
      for (const object of plan.objects) {
        const covered =
          nodes.some(
            (node) => node === object.metadata.name || node.startsWith(`${object.metadata.labels?.['app.kubernetes.io/component'] ?? '-'}`),
          ) ||
          named.has(`${object.kind} ${object.metadata.name}`) ||
          object.metadata.name === plan.applyset.parent.name;
        assert.ok(covered, `${name}: ${object.kind} ${object.metadata.name}`);
      }
    }
  });
});
