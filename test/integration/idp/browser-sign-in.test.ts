/**
 * A real browser (Debian's Chromium, headless) gets through the IdP's login
 * page to the app's loopback redirect, as the desktop app's system-browser
 * sign-in will.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import * as oidc from 'openid-client';
import { chromium, type Browser } from 'playwright';
import { createCa } from '../../testbed/ca';
import { startIdp, type Idp } from '../../testbed/idp';
import { caFetch } from '../../testbed/idp/ca-fetch';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const ARTIFACTS = join(import.meta.dirname, '..', '..', '..', 'artifacts', 'testbed');

let dir: string;
let idp: Idp;
let browser: Browser;
let config: oidc.Configuration;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'afp-idp-browser-'));
  const ca = await createCa(join(dir, 'ca'));
  idp = await startIdp({ ca, dir, logDir: dir });
  const fetch = caFetch(ca.certPem);
  config = await oidc.discovery(new URL(idp.issuer), idp.clientId, undefined, oidc.None(), { [oidc.customFetch]: fetch });
  config[oidc.customFetch] = fetch;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  await mkdir(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await idp?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

it('signs alice in through the login page in Chromium and returns a code to the loopback redirect', { timeout: 60_000 }, async () => {
  // The app's loopback listener: an ephemeral port on 127.0.0.1, as RFC 8252 §7.3 describes.
  let callback: URL | undefined;
  const listener = createServer((req, res) => {
    // Chromium also asks for /favicon.ico; only the first /callback counts.
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname === '/callback') callback ??= url;
    res.end('signed in; you can close this window');
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as AddressInfo).port;
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: `http://127.0.0.1:${port}/callback`,
    scope: 'openid offline_access',
    prompt: 'consent',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    const page = await context.newPage();
    await page.goto(url.href);
    await page.screenshot({ path: join(ARTIFACTS, 'idp-login.png') });
    await page.fill('#username', 'alice');
    await page.fill('#password', idp.users.find((user) => user.username === 'alice')?.password ?? '');
    await Promise.all([page.waitForURL(`http://127.0.0.1:${port}/**`), page.click('#sign-in')]);
    assert.ok(callback, 'the browser reached the loopback redirect');
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    assert.deepEqual(tokens.claims()?.groups, ['af-users']);
    assert.ok(tokens.refresh_token);
  } finally {
    await context.close();
    listener.close();
  }
});

it('shows a wrong password on the page and stays there', { timeout: 60_000 }, async () => {
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: 'http://127.0.0.1:52999/callback',
    scope: 'openid',
    code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
  });
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    const page = await context.newPage();
    await page.goto(url.href);
    await page.fill('#username', 'bob');
    await page.fill('#password', 'not-his-password');
    await page.click('#sign-in');
    assert.equal(await page.textContent('#error'), 'Wrong username or password.');
    assert.equal(await page.inputValue('#username'), 'bob');
  } finally {
    await context.close();
  }
});
