import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { siteRules } from '../../../main/app/site-rules';
import type { AuthUser } from '../../../main/contract/auth';
import { builtinTemplatesDir } from '../../../main/catalogue/builtin';
import { loadCatalogue } from '../../../main/catalogue/catalogue';
import { EnvironmentOperations, type ConnectTarget } from '../../../main/environments/operations';
import type { Plan } from '../../../main/render/types';
import type { ActiveProfile } from '../../../main/site/active-profile';
import type { Target } from '../../../main/targets/kinds/target';
import { Inventory } from '../../../main/inventory/inventory';

/** A kube target that applies nothing, but keeps every plan it was given. */
function recordingConnector(plans: Plan[]): ConnectTarget {
  const target: Target = {
    kind: 'kube',
    existing: () => Promise.resolve({ presence: 'absent', secrets: {} }),
    apply: (plan) => {
      plans.push(plan);
      const objects = plan.objects.map((o) => ({
        apiVersion: o.apiVersion,
        kind: o.kind,
        name: o.metadata.name,
        state: 'applied' as const,
      }));
      return Promise.resolve({ outcome: 'succeeded', objects, pruned: [] });
    },
    remove: () => Promise.resolve({ outcome: 'succeeded', gone: true }),
    close: () => undefined,
  };
  return () => ({ target, ref: (namespace) => ({ kind: 'kube', context: 'fake', server: 'https://fake.invalid', namespace }) });
}

function profileWith(section: Record<string, unknown>): ActiveProfile {
  return {
    profile: { apiVersion: 'afp.dev/v1', kind: 'SiteProfile', site: { name: 'Naples AF', logo: 'x' }, ...section },
    file: '/etc/afp/site.yaml',
    source: 'cli',
    lockedSettings: [],
    fieldLines: {},
  } as unknown as ActiveProfile;
}

const LINKS = profileWith({ links: { ingressDomain: 'apps.example.org' } });
const GROUPS = profileWith({
  auth: { issuer: 'https://login.example.org', clientId: 'afp', scopes: ['openid'], requiredGroups: ['af-users'] },
});

function setup(
  profile: () => ActiveProfile | null,
  user?: AuthUser,
): { operations: EnvironmentOperations; plans: Plan[]; inventory: Inventory } {
  const plans: Plan[] = [];
  const inventory = Inventory.open(mkdtempSync(path.join(os.tmpdir(), 'afp-rules-')));
  const session = { status: () => (user === undefined ? { state: 'signed-out' as const } : { state: 'signed-in' as const, user }) };
  const operations = new EnvironmentOperations({
    store: inventory,
    catalogue: () => loadCatalogue({ dirs: [builtinTemplatesDir()] }),
    connect: recordingConnector(plans),
    site: siteRules(profile, session),
  });
  return { operations, plans, inventory };
}

const ingresses = (plan: Plan | undefined): string[] =>
  (plan?.objects ?? []).filter((o) => o.kind === 'Ingress').map((o) => o.metadata.name);

describe("the site's rules, applied by the operations", () => {
  // MinIO's console is the built-in published on an Ingress (Dask's dashboard, without a login, is not).
  it('an update and a resume render under the link policy in force: the Ingress stays', async () => {
    const { operations, plans } = setup(() => LINKS);
    assert.equal((await (await operations.deploy({ template: 'minio', name: 'dask-a' })).done).outcome, 'succeeded');
    assert.deepEqual(ingresses(plans[0]), ['minio']);
    assert.equal((await (await operations.update('dask-a', { storage: '30Gi' })).done).outcome, 'succeeded');
    assert.deepEqual(ingresses(plans[1]), ['minio'], 'the update keeps the Ingress');
    assert.equal(plans[1]?.links[0]?.url, plans[0]?.links[0]?.url);
  });

  it('with no profile in force, an update keeps the policy the environment was deployed with', async () => {
    let profile: ActiveProfile | null = LINKS;
    const { operations, plans, inventory } = setup(() => profile);
    await (
      await operations.deploy({ template: 'minio', name: 'dask-b' })
    ).done;
    assert.deepEqual(inventory.get('dask-b')?.linkPolicy, { ingressDomain: 'apps.example.org', tls: false });
    profile = null;
    await (
      await operations.update('dask-b', { storage: '30Gi' })
    ).done;
    assert.deepEqual(ingresses(plans[1]), ['minio']);
  });

  it('a profile in force without an ingress domain wins over the recorded one', async () => {
    let profile: ActiveProfile | null = LINKS;
    const { operations, plans } = setup(() => profile);
    await (
      await operations.deploy({ template: 'minio', name: 'dask-c' })
    ).done;
    profile = profileWith({});
    await (
      await operations.update('dask-c', { storage: '30Gi' })
    ).done;
    assert.deepEqual(ingresses(plans[1]), []);
  });

  it("deploy and update render the hub with the site's sign-in, and the signed-in user as its owner", async () => {
    const alice: AuthUser = { subject: 'a', username: 'alice', name: 'Alice', groups: [] };
    const login = profileWith({
      auth: { issuer: 'https://login.example.org', clientId: 'afp', scopes: ['openid'], requiredGroups: [] },
      hubLogin: { clientId: 'af-hubs', usernameClaim: 'preferred_username', scopes: ['openid'] },
      isolation: { ingressController: { namespaceSelector: { matchLabels: { team: 'edge' } }, podSelector: {} } },
    });
    const { operations, plans } = setup(() => login, alice);
    await (
      await operations.deploy({ template: 'jupyterhub', name: 'hub-a' })
    ).done;
    await (
      await operations.update('hub-a', { users: 4 })
    ).done;
    assert.equal(plans.length, 2);
    for (const plan of plans) {
      const config = (plan.objects.find((o) => o.metadata.name === 'hub-files')?.data as Record<string, string>)['jupyterhub_config.py'];
      assert.match(config ?? '', /owner = "alice"/);
      assert.match(config ?? '', /"enabled": True, "issuer": "https:\/\/login\.example\.org", "clientId": "af-hubs"/);
      const policy = plan.objects.find((o) => o.metadata.name === 'afp-ingress-proxy')?.spec as { ingress: { from: unknown[] }[] };
      assert.deepEqual(policy.ingress[0]?.from, [{ namespaceSelector: { matchLabels: { team: 'edge' } }, podSelector: {} }]);
    }
  });

  it('refuses deploy, update and resume before any request when the user is in none of the required groups', async () => {
    const alice: AuthUser = { subject: 'a', username: 'alice', name: 'Alice', groups: ['/af-users'] };
    const bob: AuthUser = { subject: 'b', username: 'bob', name: 'Bob', groups: ['other'] };
    let user: AuthUser | undefined = alice;
    const plans: Plan[] = [];
    const inventory = Inventory.open(mkdtempSync(path.join(os.tmpdir(), 'afp-rules-')));
    const operations = new EnvironmentOperations({
      store: inventory,
      catalogue: () => loadCatalogue({ dirs: [builtinTemplatesDir()] }),
      connect: recordingConnector(plans),
      site: siteRules(() => GROUPS, { status: () => (user === undefined ? { state: 'signed-out' } : { state: 'signed-in', user }) }),
    });
    await (
      await operations.deploy({ template: 'dask', name: 'dask-d' })
    ).done;
    user = bob;
    const bobRefused =
      /^bob is not in the group "af-users", which (deploying dask-e|updating dask-d|resuming dask-d) at Naples AF needs \(your groups are "other"\)\. Ask your site to add you\.$/;
    const refused = (error: unknown): boolean => error instanceof Error && bobRefused.test(error.message);
    await assert.rejects(operations.deploy({ template: 'dask', name: 'dask-e' }), refused);
    await assert.rejects(operations.update('dask-d', { workers: 3 }), refused);
    await assert.rejects(operations.resume('dask-d'), refused);
    assert.equal(plans.length, 1, 'nothing reached the target');
    assert.equal(inventory.get('dask-e'), undefined);
    user = undefined;
    await assert.rejects(operations.update('dask-d', { workers: 3 }), {
      message: 'Sign in first: updating dask-d at Naples AF needs membership of the group "af-users".',
    });
    // Deleting is never refused: whoever deployed may always clean up.
    assert.equal((await (await operations.delete('dask-d')).done).outcome, 'succeeded');
  });

  it('a setting the site locks cannot be changed by a deploy or an update, whoever calls', async () => {
    const locked = profileWith({ templates: { locked: { dask: { workers: { value: 2, reason: 'Shared cluster' } } } } });
    const { operations, plans } = setup(() => locked);
    const refused = (error: unknown): boolean =>
      error instanceof Error &&
      /^cannot be changed: the site profile "Naples AF" \(site\.yaml\) locks it to 2\. Reason: Shared cluster$/.test(error.message);
    await assert.rejects(operations.deploy({ template: 'dask', name: 'dask-f', values: { workers: 5 } }), refused);
    await (
      await operations.deploy({ template: 'dask', name: 'dask-f', values: { workers: 2 } })
    ).done;
    await assert.rejects(operations.update('dask-f', { workers: 4 }), refused);
    assert.equal(plans.length, 1);
  });
});
