/**
 * The credentials a built-in declares for its owner: the hub's password only
 * while the hub has no site sign-in, MinIO's keys always; every one names a
 * key of a Secret the plan creates, and the plan holds no value of them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderPlan } from '../../../main/render/plan';
import type { Plan } from '../../../main/render/types';
import { builtin } from '../catalogue/fixtures';

const IAM = {
  issuer: 'https://iam.example.org/',
  clientId: 'afp-hubs',
  usernameClaim: 'preferred_username',
  groupsClaim: 'groups',
  scopes: ['openid'],
};

function plan(name: string, site: { owner?: string; hubLogin?: typeof IAM } = {}): Plan {
  return renderPlan({ template: builtin(name), environment: { name: `creds-${name}` }, ...site });
}

function secretKeys(plan: Plan): Set<string> {
  return new Set(
    plan.objects
      .filter((object) => object.kind === 'Secret')
      .flatMap((secret) => Object.keys((secret.data as Record<string, string>) ?? {}).map((key) => `${secret.metadata.name}/${key}`)),
  );
}

describe('credentials declared by templates', () => {
  it('JupyterHub without site sign-in: the owner and the generated password', () => {
    const rendered = plan('jupyterhub', { owner: 'alice' });
    assert.deepEqual(
      rendered.credentials.map((c) => ({ component: c.component, username: c.username, secret: c.secret })),
      [{ component: 'hub', username: 'alice', secret: { name: 'hub', key: 'password' } }],
    );
  });

  it('JupyterHub with the site identity provider: no password to reveal', () => {
    assert.deepEqual(plan('jupyterhub', { owner: 'alice', hubLogin: IAM }).credentials, []);
  });

  it('the analysis facility: hub and MinIO, each naming a key of a rendered Secret', () => {
    const rendered = plan('analysis-facility');
    assert.deepEqual(
      rendered.credentials.map((c) => c.component),
      ['hub', 'minio'],
    );
    const keys = secretKeys(rendered);
    for (const credential of rendered.credentials) {
      assert.ok(keys.has(`${credential.secret.name}/${credential.secret.key}`), credential.title);
      if (typeof credential.username === 'object')
        assert.ok(keys.has(`${credential.username.secret.name}/${credential.username.secret.key}`));
    }
    const values = Object.values(rendered.secretValues);
    assert.ok(
      !JSON.stringify(rendered.credentials)
        .split('"')
        .some((text) => values.includes(text)),
      'no secret value in the credentials',
    );
  });

  it('MinIO: the root keys', () => {
    const [credential] = plan('minio').credentials;
    assert.deepEqual(credential?.username, { secret: { name: 'minio-root', key: 'user' } });
    assert.deepEqual(credential?.secret, { name: 'minio-root', key: 'password' });
  });
});
