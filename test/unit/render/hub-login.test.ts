/**
 * Who may sign in to an environment's hub, read from the rendered
 * jupyterhub_config.py run by Python itself (with a stand-in for JupyterHub's
 * config object): the site's identity provider admits the owner and whom the
 * owner named; without one, the owner alone, with the generated password.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { describe, it } from 'node:test';
import { renderPlan } from '../../../main/render/plan';
import type { HubLogin } from '../../../main/render/hub-login';
import type { Plan } from '../../../main/render/types';
import { builtin } from '../catalogue/fixtures';

const IAM: HubLogin = {
  issuer: 'https://iam.example.org/',
  clientId: 'afp-hubs',
  clientSecret: 's3cret',
  authorizeUrl: 'https://iam.example.org/authorize',
  tokenUrl: 'https://iam.example.org/token',
  userdataUrl: 'https://iam.example.org/userinfo',
  usernameClaim: 'preferred_username',
  groupsClaim: 'groups',
  scopes: ['openid', 'profile', 'email'],
};

// Runs the config with a c whose sections record what was set, and prints them as JSON.
const RUN = `
import json, os, sys
class Section(dict):
    def __getattr__(self, name):
        return self.setdefault(name, None)
    def __setattr__(self, name, value):
        self[name] = value
class Config(dict):
    def __getattr__(self, name):
        return self.setdefault(name, Section())
c = Config()
os.environ.update({"POD_NAMESPACE": "ns", "AFP_HUB_CONNECT_URL": "http://hub:8081", "AFP_PROXY_API_URL": "http://proxy-api:8001",
    "AFP_HUB_PASSWORD": "pw", "AFP_HUB_CLIENT_SECRET": "from-secret", "AFP_DASK_SCHEDULER_ADDRESS": "tcp://scheduler:8786",
    "AFP_MINIO_ENDPOINT": "http://minio:9000"})
exec(compile(sys.stdin.read(), "jupyterhub_config.py", "exec"), {"get_config": lambda: c})
# Sets as sorted lists; a function (a hook) by its name.
print(json.dumps(c, default=lambda value: getattr(value, "__name__", None) or sorted(value)))
`;

type Settings = Record<string, Record<string, unknown>>;

function hubConfig(plan: Plan): Settings {
  const files = plan.objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === 'hub-files');
  const text = (files?.data as Record<string, string>)['jupyterhub_config.py'] ?? '';
  return JSON.parse(execFileSync('python3', ['-c', RUN], { input: text, encoding: 'utf8' })) as Settings;
}

describe('hub sign-in', () => {
  for (const name of ['jupyterhub', 'analysis-facility']) {
    it(`${name} with the site's identity provider: GenericOAuthenticator, the owner and whom they named, the owner is admin`, () => {
      const plan = renderPlan({
        template: builtin(name),
        environment: { name: 'alice-lab' },
        values: { hubUsers: 'bob, carol group:physics' },
        hubLogin: IAM,
        owner: 'alice',
      });
      const c = hubConfig(plan);
      assert.equal(c.JupyterHub?.authenticator_class, 'generic-oauth');
      assert.equal(c.GenericOAuthenticator?.client_id, 'afp-hubs');
      assert.equal(c.GenericOAuthenticator?.client_secret, 'from-secret', 'the secret comes from the Secret, not the file');
      assert.equal(c.GenericOAuthenticator?.token_url, 'https://iam.example.org/token');
      assert.equal(c.GenericOAuthenticator?.username_claim, 'preferred_username');
      assert.equal(c.GenericOAuthenticator?.auth_state_groups_key, 'oauth_user.groups');
      assert.equal(c.GenericOAuthenticator?.manage_groups, true, 'OAuthenticator refuses to start with a groups key otherwise');
      assert.deepEqual(c.GenericOAuthenticator?.allowed_groups, ['physics']);
      assert.deepEqual(c.Authenticator?.allowed_users, ['alice', 'bob', 'carol']);
      assert.deepEqual(c.Authenticator?.admin_users, ['alice']);
      assert.equal(c.Authenticator?.allow_all, undefined, 'nobody else');
      const text = JSON.stringify(plan.objects.filter((object) => object.kind === 'ConfigMap'));
      assert.doesNotMatch(text, /s3cret/, 'the client secret is in no ConfigMap');
      const secret = plan.objects.find((object) => object.kind === 'Secret' && object.metadata.name === 'hub') as
        { data?: Record<string, string> } | undefined;
      assert.equal(Buffer.from(secret?.data?.['client-secret'] ?? '', 'base64').toString(), 's3cret');
      assert.equal(plan.generatedSecrets['hub.client-secret'], undefined, "the site's secret is not stored with the environment");
    });

    it(`${name} without an identity provider: the owner alone, with the generated password; never allow_all`, () => {
      const plan = renderPlan({ template: builtin(name), environment: { name: 'alice-lab' }, values: { hubUsers: 'bob' }, owner: 'alice' });
      const c = hubConfig(plan);
      assert.equal(c.JupyterHub?.authenticator_class, 'dummy');
      assert.equal(c.DummyAuthenticator?.password, 'pw');
      assert.deepEqual(c.Authenticator?.allowed_users, ['alice']);
      assert.deepEqual(c.Authenticator?.admin_users, ['alice']);
      assert.equal(c.Authenticator?.allow_all, undefined);
    });
  }

  it("with the site's CA the hub checks the provider against that CA alone, in every request to it", () => {
    const pem = rootCertificates[0]!; // any real CA certificate
    const plan = renderPlan({
      template: builtin('analysis-facility'),
      environment: { name: 'x' },
      hubLogin: { ...IAM, caCertificate: pem },
      owner: 'alice',
    });
    const kwargs = hubConfig(plan).GenericOAuthenticator?.http_request_kwargs as { ca_certs?: string } | undefined;
    assert.ok(kwargs?.ca_certs !== undefined, 'http_request_kwargs.ca_certs is set');
    assert.equal(readFileSync(kwargs.ca_certs, 'utf8'), pem);
    rmSync(kwargs.ca_certs);
    const without = hubConfig(
      renderPlan({ template: builtin('analysis-facility'), environment: { name: 'x' }, hubLogin: IAM, owner: 'alice' }),
    );
    assert.equal(without.GenericOAuthenticator?.http_request_kwargs, undefined, 'public CAs: nothing changes');
  });

  it("without the three URLs the hub reads them from the issuer's discovery document", () => {
    const { authorizeUrl: _a, tokenUrl: _t, userdataUrl: _u, ...discovered } = IAM;
    const plan = renderPlan({ template: builtin('jupyterhub'), environment: { name: 'x' }, hubLogin: discovered, owner: 'alice' });
    const text =
      (plan.objects.find((object) => object.metadata.name === 'hub-files')?.data as Record<string, string>)['jupyterhub_config.py'] ?? '';
    assert.match(text, /"issuer": "https:\/\/iam\.example\.org\/"/);
    assert.match(text, /\.well-known\/openid-configuration/);
  });
});
