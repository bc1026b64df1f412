/**
 * Signing in from the app against the test bed's IdP: the account menu leads
 * to the sign-in page, the app asks the "system browser" to open the IdP's
 * page (here a second Chromium page opening exactly that URL), the user signs
 * in there, and the app shows who is signed in and their groups; sign-out
 * ends it. The device path shows a code that another browser confirms.
 * No token reaches the page. Needs the auth.* requests in main/api.ts and
 * the app composing `createAuth` (main/auth/service.ts) with `auth` options.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright';
import { FileVault } from '../../main/auth/file-vault';
import type { AuthAppOptions } from '../../main/auth/service';
import { startPreview, type Preview, type PreviewOptions } from '../../main/preview';
import { testbedEnv, waitUntil } from '../support/testbed';
import { SignInPage } from './pages/sign-in-page';
import { CHROMIUM, SCREENSHOT_DIR } from './support/launch';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('sign in from the app', () => {
  const env = testbedEnv();
  const idp = env.idp;
  const opened: string[] = [];
  let preview: Preview;
  let browser: Browser;
  let page: Page;
  let vaultFile: string;

  before(async () => {
    assert.ok(idp, 'the test bed runs an IdP');
    const configDir = mkdtempSync(path.join(os.tmpdir(), 'afp-e2e-auth-'));
    vaultFile = path.join(configDir, 'token-vault');
    const options: PreviewOptions & { auth: AuthAppOptions } = {
      configDir,
      openExternal: (url) => {
        opened.push(url);
        return Promise.resolve(true);
      },
      auth: {
        settings: { issuer: idp.issuer, clientId: idp.clientId, caFile: env.caPath, requiredGroups: ['af-users'] },
        vault: new FileVault(vaultFile),
      },
    };
    preview = await startPreview(options);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' })).newPage();
    await page.goto(preview.bridge.url);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await preview?.close();
  });

  const shot = (name: string): Promise<Buffer> =>
    page.screenshot({ path: path.join(SCREENSHOT_DIR, `preview-${name}.png`), fullPage: true });

  it('signs alice in through the system browser and shows her groups', async () => {
    const signIn = new SignInPage(page);
    await signIn.accountSignIn().click();
    await signIn.heading().waitFor();
    await shot('sign-in');
    await signIn.withBrowser().click();
    await signIn.waitingForBrowser().waitFor();
    // The page waits as soon as the request is made; the browser opens once discovery and the loopback listener are up.
    await waitUntil('the app opens the system browser', () => Promise.resolve(opened.length > 0), 15_000, 50);
    // In case the browser did not come up, the page offers the same page again.
    const first = opened.at(-1);
    await page.getByTestId('browser-fallback').getByRole('button', { name: 'Open the sign-in page again' }).click();
    await waitUntil('the app opens the same page again', () => Promise.resolve(opened.length === 2), 5000, 50);
    assert.equal(opened.at(-1), first, 'the same authorization request, so either tab completes it');
    await shot('sign-in-waiting');
    const url = opened.at(-1);
    assert.ok(url?.startsWith(idp?.issuer ?? ''), `the app asked to open the IdP's page, got ${url}`);
    const system = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
    await system.goto(url ?? '');
    await system.fill('#username', 'alice');
    await system.fill('#password', idp?.users.find((u) => u.username === 'alice')?.password ?? '');
    await Promise.all([system.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback/), system.click('#sign-in')]);
    assert.equal(await system.textContent('#title'), 'You are signed in');

    await signIn.openAccount();
    assert.equal(await signIn.accountUsername().textContent(), 'alice');
    assert.equal(await signIn.accountGroups().textContent(), 'af-users');
    await shot('account-menu');

    const refreshToken = (JSON.parse(readFileSync(vaultFile, 'utf8').split('\n').slice(1).join('\n')) as { refreshToken: string })
      .refreshToken;
    assert.ok(!(await page.content()).includes(refreshToken), 'no token in the page');
  });

  it('signs out from the account menu', async () => {
    const signIn = new SignInPage(page);
    await signIn.signOut().click();
    await signIn.accountSignIn().waitFor();
    assert.throws(() => readFileSync(vaultFile), /ENOENT/);
  });

  it('shows a device code that a second browser confirms', async () => {
    const signIn = new SignInPage(page);
    await signIn.accountSignIn().click();
    await signIn.withDevice().click();
    const code = (await signIn.userCode().textContent()) ?? '';
    assert.match(code, /^[A-Z]{4}-?[A-Z]{4}$/);
    await shot('sign-in-device');
    const phone = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
    await phone.goto(`${idp?.issuer ?? ''}/device`);
    await phone.fill('input[name="user_code"]', code);
    await phone.click('#continue');
    await phone.click('#confirm');
    await phone.fill('#username', 'alice');
    await phone.fill('#password', idp?.users.find((u) => u.username === 'alice')?.password ?? '');
    await phone.click('#sign-in');
    await phone.getByText('Device connected').waitFor();
    await signIn.account().locator('summary').waitFor({ timeout: 30_000 });
  });
});
