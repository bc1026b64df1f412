/**
 * The site's link policy survives an update. A profile with an ingress domain
 * gives JupyterHub's proxy an Ingress at deploy (the Dask dashboard, having no
 * login, is never published); an update (the app's Change settings…,
 * `afp update --set users=2`) must render under the same policy, so the
 * Ingress stays and the link is the same — through the app's own path (as
 * the Electron shell and the preview dispatch it) and through `afp`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AppEvent, RequestInput, RequestName, RequestOutput } from '../../../main/api';
import { createApp, type App } from '../../../main/app';
import { AfpError } from '../../../main/errors';
import { createLogger } from '../../../main/log';
import { previewHost } from '../../../main/app/preview-host';
import { afp } from '../../support/afp';
import { kubectl, kubectlJson, testbedEnv, waitUntil } from '../../support/testbed';
import { envName } from './support';

const DOMAIN = 'apps.bed.example';
const SMALL = ['--set', 'users=1', '--set', 'userCpu=250m', '--set', 'userMemory=512Mi', '--set', 'userStorage=1Gi'];

interface Ingresses {
  items: { metadata: { name: string }; spec: { rules: { host: string }[] } }[];
}

async function ingressHosts(namespace: string): Promise<string[]> {
  const list = await kubectlJson<Ingresses>(['get', 'ingresses', '-n', namespace]);
  return list.items.flatMap((i) => i.spec.rules.map((r) => r.host)).sort();
}

let dir: string;
let profileFile: string;
const previous = { config: process.env.AFP_CONFIG_DIR, profile: process.env.AFP_PROFILE };

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'afp-site-links-'));
  process.env.AFP_CONFIG_DIR = path.join(dir, 'config');
  delete process.env.AFP_PROFILE;
  profileFile = path.join(dir, 'site.yaml');
  writeFileSync(
    profileFile,
    [
      'apiVersion: afp.dev/v1',
      'kind: SiteProfile',
      'site: { name: Links Site, logo: "data:image/png;base64,iVBORw0KGgo=" }',
      `links: { ingressDomain: ${DOMAIN} }`,
      '',
    ].join('\n'),
  );
});
after(() => {
  for (const [key, value] of [
    ['AFP_CONFIG_DIR', previous.config],
    ['AFP_PROFILE', previous.profile],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('an update keeps the Ingress the site profile gave (kwok nodes)', () => {
  test('afp update --set users=2 --wait, with or without --profile, keeps the Ingress and the link', { timeout: 300_000 }, async (t) => {
    const name = envName(t, 'links-cli');
    t.after(async () => {
      await kubectl(['delete', 'namespace', name, '--wait=false', '--ignore-not-found']);
    });
    const kubeconfig = testbedEnv().adminKubeconfig;
    const deployed = await afp([
      'deploy',
      'jupyterhub',
      '--profile',
      profileFile,
      ...SMALL,
      '--kubeconfig',
      kubeconfig,
      '--name',
      name,
      '--wait',
      '--timeout',
      '120s',
    ]);
    assert.equal(deployed.code, 0, deployed.stderr);
    const hosts = await ingressHosts(name);
    assert.equal(hosts.length, 1, 'the hub has an Ingress');
    assert.ok(hosts[0]?.endsWith(`.${DOMAIN}`), hosts[0]);
    const link = /^ {2}.*: (http\S+)$/m.exec(deployed.stdout)?.[1] ?? '';
    assert.ok(link.startsWith(`http://${hosts[0] ?? ''}/`), deployed.stdout);

    const resized = await afp(['update', name, '--set', 'users=2', '--wait', '--timeout', '120s']);
    assert.equal(resized.code, 0, resized.stderr);
    assert.doesNotMatch(resized.stderr, /Ingress .* pruned/);
    assert.deepEqual(await ingressHosts(name), hosts, 'the Ingress is still there after an update without --profile');
    assert.match(resized.stdout, new RegExp(`^ {2}.*: ${link.replace(/[.]/g, '\\.')}$`, 'm'));

    const again = await afp(['update', name, '--profile', profileFile, '--set', 'users=3', '--wait', '--timeout', '120s']);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(await ingressHosts(name), hosts, 'and after an update with --profile');
    assert.match(again.stdout, new RegExp(`^ {2}.*: ${link.replace(/[.]/g, '\\.')}$`, 'm'));

    const status = await afp(['status', name, '--json']);
    const links = (JSON.parse(status.stdout) as { links: { via: string; url?: string }[] }).links;
    assert.deepEqual(
      links.map((l) => [l.via, l.url]),
      [['ingress', link]],
    );
  });

  test(
    "the app's Change settings… (environments.update) keeps the Ingress and the Environment page's link",
    { timeout: 300_000 },
    async (t) => {
      const name = envName(t, 'links-app');
      const app: App = createApp({
        host: previewHost(path.join(dir, 'app-config'), () => Promise.resolve(false)),
        profileSources: { cli: profileFile },
        log: createLogger(() => undefined),
      });
      const events: AppEvent[] = [];
      app.events.subscribe((event) => events.push(event));
      t.after(async () => {
        await app.dispose();
        await kubectl(['delete', 'namespace', name, '--wait=false', '--ignore-not-found']);
      });
      const request = async <K extends RequestName>(what: K, input: RequestInput<K>): Promise<RequestOutput<K>> => {
        const result = await app.dispatch(what, input, { via: 'test' });
        if (!result.ok) throw new AfpError(result.error.code, result.error.message, result.error);
        return result.value as RequestOutput<K>;
      };
      const done = async (operationId: string): Promise<Extract<AppEvent, { type: 'operation.done' }>> => {
        const find = (): Extract<AppEvent, { type: 'operation.done' }> | undefined =>
          events.find(
            (e): e is Extract<AppEvent, { type: 'operation.done' }> => e.type === 'operation.done' && e.operationId === operationId,
          );
        await waitUntil(`operation ${operationId} to end`, () => Promise.resolve(find() !== undefined), 180_000, 200);
        const found = find();
        assert.ok(found);
        return found;
      };
      const ingressLink = async (id: string): Promise<string> => {
        let url: string | undefined;
        await waitUntil(
          'the hub link to go through the Ingress',
          async () => {
            const links = (await request('environments.get', { id })).summary.links;
            url = links.find((l) => l.via === 'ingress')?.url;
            return url !== undefined && links.every((l) => l.via === 'ingress');
          },
          30_000,
          200,
        );
        return url ?? '';
      };

      const started = await request('environments.deploy', {
        plan: {
          template: 'jupyterhub',
          name,
          values: { users: 1, userCpu: '250m', userMemory: '512Mi', userStorage: '1Gi' },
          target: 'kube',
        },
        target: { kind: 'kube', kubeconfig: testbedEnv().adminKubeconfig },
      });
      const deployed = await done(started.operationId);
      assert.equal(deployed.outcome, 'succeeded', JSON.stringify(deployed.error));
      const hosts = await ingressHosts(name);
      assert.equal(hosts.length, 1, 'the hub has an Ingress');
      const link = await ingressLink(started.environmentId);
      assert.ok(link.startsWith(`http://${hosts[0] ?? ''}/`), link);

      const resize = await request('environments.update', { id: started.environmentId, values: { users: 2 } });
      const resized = await done(resize.operationId);
      assert.equal(resized.outcome, 'succeeded', JSON.stringify(resized.error));
      assert.deepEqual(await ingressHosts(name), hosts, 'the Ingress is still there after the update');
      assert.equal(await ingressLink(started.environmentId), link, 'the link is unchanged');
    },
  );
});
