/**
 * The session at work against the test bed: `afp login/whoami/kube-token/
 * logout` as a user runs them, kubectl authenticating through `afp
 * kube-token`, client-node through the in-process session, and bob refused
 * where af-users is required.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AuthenticationV1Api } from '@kubernetes/client-node';
import { decodeJwt } from 'jose';
import { createAuthFetch } from '../../../main/auth/fetch';
import { defaultVaultFile } from '../../../main/auth/file-vault';
import { afp as runAfp, type AfpRun } from '../../support/afp';
import { AfpError } from '../../../main/errors';
import { loadKubeconfig } from '../../../main/kube/kubeconfig';
import { testbedEnv } from '../../support/testbed';
import { signInWithForms, type Credentials } from '../../testbed/idp/form-sign-in';
import { assertNoSecrets, bedIdp, signedIn } from './support';

const REPO = path.resolve(import.meta.dirname, '..', '..', '..');
const env = testbedEnv();
const bed = bedIdp();
let dir: string;
let binDir: string;
let kubeconfig: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'afp-auth-cli-'));
  process.env.AFP_CONFIG_DIR = path.join(dir, 'config');
  binDir = path.join(dir, 'bin');
  await import('node:fs/promises').then((fs) => fs.mkdir(binDir));
  await symlink(path.join(REPO, 'bin', 'afp.mjs'), path.join(binDir, 'afp'));
  kubeconfig = path.join(dir, 'kubeconfig');
  await writeFile(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'bed', cluster: { server: env.apiServerUrl, 'certificate-authority': env.caPath } }],
      users: [
        {
          name: 'afp',
          user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'afp', args: ['kube-token'], interactiveMode: 'Never' } },
        },
      ],
      contexts: [{ name: 'bed', context: { cluster: 'bed', user: 'afp' } }],
      'current-context': 'bed',
    }),
  );
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function afp(args: string[], onStderr?: (text: string) => void): Promise<AfpRun> {
  return runAfp(args, dir, onStderr);
}

/** The person at the browser: waits for a URL in the CLI's output and gets through the IdP's forms with it. */
function personAtBrowser(user: Credentials, pattern: RegExp): { read: (text: string) => void; done: () => Promise<string> } {
  const fetch = createAuthFetch({ caPem: bed.caPem });
  let visit: Promise<string> | undefined;
  return {
    read: (text) => {
      const url = pattern.exec(text)?.[1];
      if (url === undefined || visit !== undefined) return;
      visit = (async () => {
        const result = await signInWithForms(url, user, fetch);
        if (result.redirect === undefined) return result.pageText ?? '';
        return (await fetch(result.redirect)).text();
      })();
    },
    done: () => visit ?? Promise.reject(new Error('the CLI showed no address')),
  };
}

function kubectl(args: string[]): Promise<AfpRun> {
  return new Promise((resolve) => {
    execFile(
      env.kubectl,
      [`--kubeconfig=${kubeconfig}`, ...args],
      { env: { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}` }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    );
  });
}

const providerFlags = ['--issuer', bed.settings.issuer, '--client-id', bed.settings.clientId, '--ca-file', bed.settings.caFile ?? ''];

describe('afp login, whoami, kube-token, logout with the test bed', () => {
  it('refuses to guess an identity provider', async () => {
    const run = await afp(['login', '--device']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /no identity provider known: give --issuer URL and --client-id ID, or a site profile with an auth section/);
    const whoami = await afp(['whoami']);
    assert.equal(whoami.code, 1);
    assert.match(whoami.stderr, /Not signed in; run afp login/);
  });

  it(
    'signs in with a device code typed on another device, and kubectl then authenticates as alice through afp kube-token',
    { timeout: 120_000 },
    async () => {
      const person = personAtBrowser(bed.user('alice'), /\(or open (\S+) directly\)/);
      const login = await afp(['login', '--device', ...providerFlags], person.read);
      assert.equal(login.code, 0, login.stderr);
      assert.match(login.stderr, /To sign in, open https:\/\/127\.0\.0\.1:\d+\/device\nand enter the code: [A-Z]{4}-?[A-Z]{4}/);
      assert.match(await person.done(), /Device connected/);
      assert.equal(login.stdout, 'Signed in as Alice (alice) <alice@testbed.example>, groups: af-users.\n');
      const vaultFile = defaultVaultFile();
      assert.equal((await stat(vaultFile)).mode & 0o777, 0o600);

      const whoami = await afp(['whoami', '--json']);
      assert.equal(whoami.code, 0, whoami.stderr);
      const me = JSON.parse(whoami.stdout) as {
        signedIn: boolean;
        user: { username: string; groups: string[] };
        issuer: string;
        expiresAt: string;
      };
      assert.equal(me.signedIn, true);
      assert.equal(me.user.username, 'alice');
      assert.deepEqual(me.user.groups, ['af-users']);
      assert.equal(me.issuer, bed.settings.issuer);
      assert.ok(Date.parse(me.expiresAt) > Date.now());

      const credential = await afp(['kube-token']);
      assert.equal(credential.code, 0, credential.stderr);
      const exec = JSON.parse(credential.stdout) as {
        apiVersion: string;
        kind: string;
        status: { token: string; expirationTimestamp: string };
      };
      assert.equal(exec.apiVersion, 'client.authentication.k8s.io/v1');
      assert.equal(exec.kind, 'ExecCredential');
      assert.match(exec.status.expirationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.ok(
        Date.parse(exec.status.expirationTimestamp) < (decodeJwt(exec.status.token).exp ?? 0) * 1000,
        'kubectl asks again before the token expires',
      );

      const review = await kubectl(['auth', 'whoami', '-o', 'json']);
      assert.equal(review.code, 0, review.stderr);
      const userInfo = (JSON.parse(review.stdout) as { status: { userInfo: { username: string; groups: string[] } } }).status.userInfo;
      assert.equal(userInfo.username, 'alice');
      assert.ok(userInfo.groups.includes('af-users'), `groups ${userInfo.groups.join(',')}`);

      const vaultText = await readFile(vaultFile, 'utf8');
      assert.match(vaultText, /^# AF Provisioner token vault: refresh token for https:\/\/127\.0\.0\.1:\d+; delete to sign out\n/);
      const refreshToken = (JSON.parse(vaultText.split('\n').slice(1).join('\n')) as { refreshToken: string }).refreshToken;
      assertNoSecrets([exec.status.token], { 'the vault file': vaultText });
      assertNoSecrets([exec.status.token, refreshToken], {
        'afp login output': login.stdout + login.stderr,
        'afp whoami output': whoami.stdout + whoami.stderr,
        'kubectl output': review.stdout + review.stderr,
      });
    },
  );

  it('takes the provider from the site profile', { timeout: 60_000 }, async () => {
    const profile = path.join(dir, 'site.yaml');
    await writeFile(
      profile,
      `apiVersion: afp.dev/v1\nkind: SiteProfile\nsite: { name: Test bed, logo: "data:image/svg+xml;base64,PHN2Zy8+" }\nauth:\n  issuer: ${bed.settings.issuer}\n  clientId: ${bed.settings.clientId}\n  requiredGroups: [af-users]\n`,
    );
    const person = personAtBrowser(bed.user('alice'), /\(or open (\S+) directly\)/);
    const login = await afp(['login', '--device', '--profile', profile, '--ca-file', env.caPath], person.read);
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stderr, new RegExp(`open ${bed.settings.issuer.replace(/[.]/g, '\\.')}/device`));
    await person.done();
  });

  it('signs out: revokes, deletes the vault, and kubectl is refused with a plain message', { timeout: 60_000 }, async () => {
    const before = await readFile(defaultVaultFile(), 'utf8');
    const refreshToken = (JSON.parse(before.split('\n').slice(1).join('\n')) as { refreshToken: string }).refreshToken;
    const logout = await afp(['logout']);
    assert.equal(logout.code, 0, logout.stderr);
    assert.equal(logout.stdout, `Signed out; the sign-in was revoked at ${bed.settings.issuer}.\n`);
    await assert.rejects(stat(defaultVaultFile()), { code: 'ENOENT' });
    const token = await afp(['kube-token']);
    assert.equal(token.code, 1);
    assert.match(token.stderr, /Not signed in: sign in first/);
    const review = await kubectl(['auth', 'whoami']);
    assert.notEqual(review.code, 0);
    assert.match(review.stderr, /Not signed in: sign in first/);
    assert.ok(!review.stderr.includes(refreshToken));
    assert.equal((await afp(['logout'])).stdout, 'Not signed in.\n');
  });

  it('signs in through a browser the user opens from the printed address (--no-browser)', { timeout: 60_000 }, async () => {
    const person = personAtBrowser(bed.user('alice'), /to sign in:\n {2}(\S+)\n/);
    const login = await afp(['login', '--no-browser', ...providerFlags], person.read);
    assert.equal(login.code, 0, login.stderr);
    assert.match(await person.done(), /You are signed in/);
    assert.match(login.stdout, /^Signed in as Alice/);
    const again = await afp(['login', '--no-browser'], personAtBrowser(bed.user('alice'), /to sign in:\n {2}(\S+)\n/).read);
    assert.equal(again.code, 0, `signs in again with the provider it knows: ${again.stderr}`);
    assert.equal((await afp(['logout'])).code, 0);
  });
});

describe('the in-process session against the cluster', () => {
  it('authenticates client-node to the API server with the session token', { timeout: 60_000 }, async () => {
    const test = await signedIn(bed.settings, bed.user('alice'), bed.caPem);
    try {
      const kc = loadKubeconfig({ file: kubeconfig }).forContext(undefined, test.session);
      const review = await kc
        .makeApiClient(AuthenticationV1Api)
        .createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
      assert.equal(review.status?.userInfo?.username, 'alice');
      assert.ok(review.status?.userInfo?.groups?.includes('af-users'));
    } finally {
      await test.close();
    }
  });

  it('refuses bob before calling anything where af-users is required', { timeout: 60_000 }, async () => {
    const test = await signedIn(bed.settings, bed.user('bob'), bed.caPem);
    try {
      assert.deepEqual(test.session.status().user?.groups, []);
      let called = false;
      assert.throws(
        () => {
          test.session.requireGroups(['af-users'], 'deploying to the test bed');
          called = true;
        },
        (error: unknown) =>
          error instanceof AfpError &&
          error.code === 'forbidden' &&
          error.message ===
            'bob is not in the group "af-users", which deploying to the test bed needs (you are in no group). Ask your site to add you.',
      );
      assert.equal(called, false);
      const alice = await signedIn(bed.settings, bed.user('alice'), bed.caPem);
      alice.session.requireGroups(['af-users'], 'deploying to the test bed');
      await alice.close();
    } finally {
      await test.close();
    }
  });
});
