/**
 * IM itself accepts our TOSCA: for every built-in template the capability
 * check allows, IM creates the infrastructure (its Deployments appear in the
 * namespace on the test bed) and deletes it again. Templates the check
 * refuses are named with their reasons, never sent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { quantitySize } from '../../../main/catalogue/quantity';
import { renderPlan } from '../../../main/render/plan';
import { renderTosca } from '../../../main/render/tosca/render-tosca';
import { kubectl, waitUntil } from '../../support/testbed';
import { BUILTIN_NAMES, builtin, fromText } from '../../unit/catalogue/fixtures';
import { accessToken, imHeader, imRequest, imUnderTest, infrastructureState, type ImUnderTest } from '../im/support';

describe('the TOSCA of every template the check allows is accepted by the real IM', () => {
  let im: ImUnderTest;
  let authorization: string;
  before(async () => {
    im = await imUnderTest();
    authorization = imHeader(im.env, await accessToken(im.env, im.caPem, 'alice'));
  });
  after(async () => {
    await im?.close();
  });

  it('the mapping works as the check says: addresses through endpoints, files as one-key ConfigMaps (or Secrets), replicas as containers', async () => {
    const environment = `im-mapping-${Date.now().toString(36)}`;
    const plan = renderPlan({ template: fromText(MAPPING_TEMPLATE), environment: { name: environment }, target: 'im' });
    const { yaml, check } = renderTosca(plan);
    assert.equal(check.ok, true, JSON.stringify(check.items));
    const created = await imRequest(`${im.url}/infrastructures`, 'POST', authorization, yaml);
    assert.equal(created.status, 200, created.body);
    const uri = (JSON.parse(created.body) as { uri: string }).uri;
    const infId = uri.slice(uri.lastIndexOf('/') + 1);
    try {
      type Deployment = {
        metadata: { name: string };
        spec: {
          replicas: number;
          template: {
            spec: {
              containers: {
                env?: { name: string; value: string }[];
                volumeMounts?: { mountPath: string; subPath?: string }[];
                resources: { requests: Record<string, string> };
              }[];
            };
          };
        };
      };
      let deployments: Deployment[] = [];
      await waitUntil(
        `IM's three Deployments in ${environment}`,
        async () => {
          const listed = await kubectl(['get', 'deployments', '-n', environment, '-o', 'json']);
          deployments = listed.code === 0 ? (JSON.parse(listed.stdout) as { items: Deployment[] }).items : [];
          return deployments.length === 3;
        },
        120_000,
        1000,
      );
      const db = deployments.find((deployment) => deployment.metadata.name.startsWith('db-'));
      const client = deployments.find((deployment) => deployment.metadata.name.startsWith('client-0-'));
      assert.ok(db !== undefined && client !== undefined, deployments.map((deployment) => deployment.metadata.name).join(', '));
      const env = Object.fromEntries(
        (client.spec.template.spec.containers[0]?.env ?? []).map((variable) => [variable.name, variable.value]),
      );
      assert.equal(env.DB_URL, `postgres://${db.metadata.name}:5432/app`, 'the address IM gives is the db Service');
      const requests = client.spec.template.spec.containers[0]?.resources.requests ?? {};
      assert.equal(quantitySize('cpu', requests.cpu ?? ''), 500, 'requests = limits, as the check says');
      assert.equal(quantitySize('memory', requests.memory ?? ''), 256 * 2 ** 20);
      const mounts = db.spec.template.spec.containers[0]?.volumeMounts ?? [];
      assert.deepEqual(
        mounts
          .filter((mount) => mount.subPath !== undefined)
          .map((mount) => `${mount.mountPath}:${mount.subPath ?? ''}`)
          .sort(),
        ['/etc/db/flag:flag', '/etc/db/settings.conf:settings.conf'],
      );
      const configMaps = await kubectl(['get', 'configmaps,secrets', '-n', environment, '-o', 'json']);
      const items = (JSON.parse(configMaps.stdout) as { items: { kind: string; data?: Record<string, string> }[] }).items;
      const settings = items.find((item) => item.kind === 'ConfigMap' && item.data?.['settings.conf'] !== undefined);
      assert.equal(settings?.data?.['settings.conf'], 'max_connections = 20\n');
      const flag = items.find((item) => item.kind === 'Secret' && item.data?.flag !== undefined);
      assert.equal(Buffer.from(flag?.data?.flag ?? '', 'base64').toString('utf8'), 'true', 'base64-looking text keeps its value');
      const claims = await kubectl(['get', 'pvc', '-n', environment, '-o', 'jsonpath={.items[*].spec.resources.requests.storage}']);
      assert.equal(quantitySize('storage', claims.stdout.trim()), 2 * 2 ** 30);
    } finally {
      const deleted = await imRequest(`${im.url}/infrastructures/${infId}`, 'DELETE', authorization);
      assert.equal(deleted.status, 200, deleted.body);
    }
  });

  for (const name of BUILTIN_NAMES) {
    it(name, async (t) => {
      const environment = `im-${name}-${Date.now().toString(36)}`.slice(0, 50);
      const plan = renderPlan({ template: builtin(name), environment: { name: environment }, target: 'im' });
      const { yaml, check } = renderTosca(plan);
      if (!check.ok) {
        const refused = check.items.filter((item) => item.severity === 'refused');
        assert.ok(refused.length > 0);
        t.diagnostic(`${name} is refused for IM: ${refused.map((item) => `${item.object}: ${item.reason}`).join('; ')}`);
        return;
      }
      const created = await imRequest(`${im.url}/infrastructures`, 'POST', authorization, yaml);
      assert.equal(created.status, 200, `IM refused the TOSCA of ${name}: ${created.body}`);
      const uri = (JSON.parse(created.body) as { uri: string }).uri;
      const infId = uri.slice(uri.lastIndexOf('/') + 1);
      try {
        const deployments = new Set(plan.components.map((component) => component.name));
        await waitUntil(
          `IM's Deployments for ${name} in namespace ${environment}`,
          async () => {
            const listed = await kubectl(['get', 'deployments', '-n', environment, '-o', 'jsonpath={.items[*].metadata.name}']);
            const names = listed.stdout.split(/\s+/).filter(Boolean);
            return [...deployments].every((component) => names.some((deployed) => deployed.startsWith(`${component}-`)));
          },
          120_000,
          1000,
        );
        const state = await infrastructureState(im.url, infId, authorization);
        assert.notEqual(state?.state, 'failed', JSON.stringify(state));
      } finally {
        const deleted = await imRequest(`${im.url}/infrastructures/${infId}`, 'DELETE', authorization);
        assert.equal(deleted.status, 200, `IM did not delete ${infId}: ${deleted.body}`);
      }
    });
  }
});

const MAPPING_TEMPLATE = `apiVersion: afp.dev/v1
kind: Template
metadata: { name: im-mapping, title: IM mapping, version: 1.0.0 }
components:
  db:
    image: docker.io/library/postgres:17.5
    command: [postgres, -c, config_file=/etc/db/settings.conf]
    ports: [{ name: sql, port: 5432 }]
    resources: { limits: { cpu: "1", memory: 512Mi } }
    volumes: [{ name: data, size: 2Gi, mountPath: /var/lib/postgresql/data }]
    files:
      - { path: /etc/db/settings.conf, content: "max_connections = 20\\n" }
      - { path: /etc/db/flag, content: "true" }
  client:
    image: docker.io/library/busybox:1.37
    command: [sleep, "3600"]
    replicas: 2
    env:
      - { name: DB_URL, component: { name: db, port: sql, scheme: postgres, path: /app } }
    resources: { requests: { cpu: 500m, memory: 256Mi }, limits: { cpu: 500m, memory: 256Mi } }
    dependsOn: [db]
`;
