import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { caFetch } from '../../testbed/idp/ca-fetch';
import { signInWithForms } from '../../testbed/idp/form-sign-in';
import { writeKubeconfig } from '../../testbed/kube/kubeconfig';
import { kubectl, testbedEnv } from '../../support/testbed';
import { readFileSync } from 'node:fs';

interface WhoAmI {
  status: { userInfo: { username: string; groups?: string[] } };
}

const env = testbedEnv();
const idp = env.idp;

describe('the API server trusts the test IdP', { skip: idp === undefined ? 'the bed runs without its IdP' : false }, () => {
  let dir: string;
  let config: oidc.Configuration;
  const caPem = readFileSync(env.caPath, 'utf8');
  const fetch = caFetch(caPem);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'afp-oidc-test-'));
    config = await oidc.discovery(new URL(idp!.issuer), idp!.clientId, undefined, oidc.None(), { [oidc.customFetch]: fetch });
    config[oidc.customFetch] = fetch;
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function idTokenFor(username: string): Promise<string> {
    const user = idp!.users.find((entry) => entry.username === username);
    assert.ok(user, `the IdP has a user ${username}`);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: 'http://127.0.0.1:53682/callback',
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const signedIn = await signInWithForms(url.href, user, fetch);
    assert.ok(signedIn.redirect, `sign-in ended on a page: ${signedIn.pageText ?? ''}`);
    const tokens = await oidc.authorizationCodeGrant(config, signedIn.redirect, { pkceCodeVerifier: verifier, expectedState: state });
    assert.ok(tokens.id_token);
    return tokens.id_token;
  }

  async function whoami(token: string): Promise<{ code: number; who?: WhoAmI; stderr: string }> {
    const kubeconfig = await writeKubeconfig(join(dir, `token-${Math.random().toString(36).slice(2)}.kubeconfig`), {
      server: env.apiServerUrl,
      caPem,
      token,
    });
    const result = await kubectl(['auth', 'whoami', '-o', 'json'], { kubeconfig });
    return { code: result.code, stderr: result.stderr, ...(result.code === 0 ? { who: JSON.parse(result.stdout) as WhoAmI } : {}) };
  }

  test('alice’s ID token authenticates her as alice in group af-users (kubectl auth whoami)', async () => {
    const { code, who, stderr } = await whoami(await idTokenFor('alice'));
    assert.equal(code, 0, stderr);
    assert.equal(who?.status.userInfo.username, 'alice');
    assert.ok(who?.status.userInfo.groups?.includes('af-users'), `groups: ${JSON.stringify(who?.status.userInfo.groups)}`);
    assert.ok(who?.status.userInfo.groups?.includes('system:authenticated'));
  });

  test('bob is authenticated with no group of his own', async () => {
    const { code, who, stderr } = await whoami(await idTokenFor('bob'));
    assert.equal(code, 0, stderr);
    assert.equal(who?.status.userInfo.username, 'bob');
    assert.deepEqual(who?.status.userInfo.groups, ['system:authenticated']);
  });

  test('a tampered token is refused', async () => {
    const token = await idTokenFor('alice');
    const { code, stderr } = await whoami(`${token.slice(0, -6)}AAAAAA`);
    assert.notEqual(code, 0);
    assert.match(stderr, /Unauthorized|must be logged in/i);
  });
});
