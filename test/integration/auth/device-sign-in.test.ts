/**
 * The device authorization grant against the test bed's IdP: the app shows a
 * code, a second browser (another Chromium context, as a phone would be)
 * types it on the IdP's page and signs in; the app's polling then completes.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import type { DevicePrompt } from '../../../main/auth/sign-in/device-flow';
import { AfpError } from '../../../main/errors';
import { bedIdp, launchChromium, newSession } from './support';

const ARTIFACTS = join(import.meta.dirname, '..', '..', '..', 'artifacts', 'auth');

let browser: Browser;
const bed = bedIdp();

before(async () => {
  browser = await launchChromium();
  await mkdir(ARTIFACTS, { recursive: true });
});
after(async () => {
  await browser?.close();
});

/** A person on another device: opens the page, types the code, signs in, confirms. */
async function confirmOnSecondDevice(page: Page, prompt: DevicePrompt, username: string, finalButton = '#confirm'): Promise<string> {
  await page.goto(prompt.verificationUri);
  for (let step = 0; step < 8; step++) {
    if (await page.isVisible('input[name="user_code"]')) {
      await page.fill('input[name="user_code"]', prompt.userCode);
      await page.screenshot({ path: join(ARTIFACTS, 'device-code-entry.png') });
      await Promise.all([page.waitForLoadState('load'), page.click('#continue')]);
    } else if (await page.isVisible('#username')) {
      await page.fill('#username', username);
      await page.fill('#password', bed.user(username).password);
      await Promise.all([page.waitForLoadState('load'), page.click('#sign-in')]);
    } else if (await page.isVisible('#confirm')) {
      await Promise.all([page.waitForLoadState('load'), page.click(finalButton)]);
      if (finalButton !== '#confirm') return (await page.textContent('body')) ?? '';
    } else {
      return (await page.textContent('body')) ?? '';
    }
    await page.waitForLoadState('load');
  }
  throw new Error(`the device pages did not finish: ${await page.textContent('body')}`);
}

it('signs alice in with a code confirmed from a second browser', { timeout: 90_000 }, async () => {
  const test = await newSession();
  const phone = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    let prompt: DevicePrompt | undefined;
    let confirmed: Promise<string> | undefined;
    const user = await test.session.signIn(
      bed.settings,
      {
        method: 'device',
        onPrompt: (shown) => {
          prompt = shown;
          confirmed = phone.newPage().then((page) => confirmOnSecondDevice(page, shown, 'alice'));
        },
      },
      AbortSignal.timeout(60_000),
    );
    assert.match((await confirmed) ?? '', /Device connected/);
    assert.ok(prompt);
    assert.match(prompt.userCode, /^[A-Z]{4}-?[A-Z]{4}$/);
    assert.equal(new URL(prompt.verificationUri).origin, new URL(bed.settings.issuer).origin);
    assert.ok(prompt.expiresAt > Date.now());
    assert.equal(user.username, 'alice');
    assert.deepEqual(user.groups, ['af-users']);
    assert.equal(test.session.status().state, 'signed-in');
    assert.ok((await test.vault.load())?.refreshToken, 'the device grant with offline_access gave a refresh token, kept in the vault');
  } finally {
    await phone.close();
    await test.close();
  }
});

it('ends plainly, keeping nothing, when the code is refused on the second device', { timeout: 90_000 }, async () => {
  const test = await newSession();
  const phone = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    let refused: Promise<string> | undefined;
    await assert.rejects(
      test.session.signIn(
        bed.settings,
        {
          method: 'device',
          onPrompt: (shown) => {
            refused = phone.newPage().then((page) => confirmOnSecondDevice(page, shown, 'alice', '#abort'));
          },
        },
        AbortSignal.timeout(60_000),
      ),
      (error: unknown) => error instanceof AfpError && error.code === 'cancelled' && /refused or cancelled/.test(error.message),
    );
    await refused;
    assert.equal(test.session.status().state, 'signed-out');
    assert.equal(await test.vault.load(), undefined);
  } finally {
    await phone.close();
    await test.close();
  }
});
