/**
 * Sign-in through the system browser against the test bed's IdP, the browser
 * being Chromium opening exactly the URL the app asked to open: PKCE S256,
 * state and nonce, the loopback page, and each way it can fail without
 * leaving a session behind.
 */
import assert from 'node:assert/strict';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright';
import type { SignInHow } from '../../../main/auth/session';
import { AfpError } from '../../../main/errors';
import { assertNoSecrets, bedIdp, launchChromium, newSession, readText, type TestSession } from './support';

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

/** The system browser: a fresh Chromium context that goes wherever the app says, then lets the test act on the page. */
function chromiumBrowser(
  context: BrowserContext,
  act: (page: Page) => Promise<void>,
): { how: SignInHow; opened: string[]; done: () => Promise<Page> } {
  const opened: string[] = [];
  let visit: Promise<Page> | undefined;
  return {
    opened,
    how: {
      method: 'browser',
      open: (url) => {
        opened.push(url);
        visit = (async () => {
          const page = await context.newPage();
          await page.goto(url);
          await act(page);
          return page;
        })();
        return Promise.resolve(true);
      },
    },
    done: async () => {
      assert.ok(visit, 'the app asked the browser to open a page');
      return visit;
    },
  };
}

async function typeCredentials(page: Page, username: string): Promise<void> {
  await page.fill('#username', username);
  await page.fill('#password', bed.user(username).password);
}

async function expectNothingKept(test: TestSession): Promise<void> {
  assert.equal(test.session.status().state, 'signed-out');
  assert.equal(test.session.status().user, undefined);
  await assert.rejects(stat(test.vault.file), { code: 'ENOENT' }, 'no vault file after a failed sign-in');
  await assert.rejects(test.session.accessToken(), (error: unknown) => error instanceof AfpError && error.code === 'unauthorized');
}

describe('browser sign-in (PKCE, loopback redirect) with the test bed IdP', () => {
  it('signs alice in through the IdP pages and keeps only the refresh token, 0600', { timeout: 90_000 }, async () => {
    const test = await newSession();
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    try {
      const chromium = chromiumBrowser(context, async (page) => {
        await page.screenshot({ path: join(ARTIFACTS, 'idp-login.png') });
        await typeCredentials(page, 'alice');
        await Promise.all([page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback/), page.click('#sign-in')]);
      });
      const user = await test.session.signIn(bed.settings, chromium.how, AbortSignal.timeout(60_000));
      const page = await chromium.done();
      await page.waitForSelector('#title');
      await page.screenshot({ path: join(ARTIFACTS, 'loopback-signed-in.png') });
      assert.equal(await page.textContent('#title'), 'You are signed in');
      assert.match((await page.textContent('#message')) ?? '', /close this tab/);

      const asked = new URL(chromium.opened[0] ?? '');
      assert.equal(asked.origin, new URL(bed.settings.issuer).origin);
      assert.equal(asked.searchParams.get('code_challenge_method'), 'S256');
      assert.match(asked.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
      assert.ok((asked.searchParams.get('state') ?? '').length >= 22, 'a random state');
      assert.ok((asked.searchParams.get('nonce') ?? '').length >= 22, 'a random nonce');
      assert.match(asked.searchParams.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      assert.deepEqual((asked.searchParams.get('scope') ?? '').split(' '), ['openid', 'profile', 'email', 'offline_access', 'groups']);
      assert.equal(asked.searchParams.get('client_id'), bed.settings.clientId);

      assert.equal(user.username, 'alice');
      assert.deepEqual(user.groups, ['af-users']);
      const status = test.session.status();
      assert.equal(status.state, 'signed-in');
      assert.ok((status.expiresAt ?? 0) > Date.now() + 60_000);

      const accessToken = await test.session.accessToken();
      const vaultText = await readText(test.vault.file);
      assert.equal((await stat(test.vault.file)).mode & 0o777, 0o600);
      const record = (await test.vault.load())!;
      assert.ok(vaultText.includes(record.refreshToken), 'the refresh token is in the 0600 file vault');
      assertNoSecrets([accessToken], { 'the vault file': vaultText });
      assertNoSecrets([accessToken, record.refreshToken], {
        'the log': test.recorder.lines.join('\n'),
        'the status': JSON.stringify(status),
        'the loopback page': await page.content(),
      });
    } finally {
      await context.close();
      await test.close();
    }
  });

  it('ends with a plain message, and keeps nothing, when the user cancels on the IdP page', { timeout: 60_000 }, async () => {
    const test = await newSession();
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    try {
      const chromium = chromiumBrowser(context, async (page) => {
        await Promise.all([page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback/), page.click('#cancel-button')]);
      });
      await assert.rejects(test.session.signIn(bed.settings, chromium.how, AbortSignal.timeout(30_000)), (error: unknown) => {
        assert.ok(error instanceof AfpError);
        assert.equal(error.code, 'cancelled');
        assert.match(error.message, /cancelled or refused in the browser; nothing was stored/);
        return true;
      });
      const page = await chromium.done();
      await page.waitForSelector('#title');
      assert.equal(await page.textContent('#title'), 'Sign-in did not complete');
      await page.screenshot({ path: join(ARTIFACTS, 'loopback-cancelled.png') });
      await expectNothingKept(test);
      assert.equal(test.session.status().error?.code, 'cancelled');
    } finally {
      await context.close();
      await test.close();
    }
  });

  it('refuses a return to the loopback that carries another state, and keeps nothing', { timeout: 60_000 }, async () => {
    const test = await newSession();
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    try {
      let forged = '';
      let visit: Promise<Page> | undefined;
      const how: SignInHow = {
        method: 'browser',
        open: (url) => {
          // A page elsewhere sends the browser to our listener with its own code and state (login CSRF).
          const redirect = new URL(new URL(url).searchParams.get('redirect_uri') ?? '');
          redirect.search = new URLSearchParams({ code: 'attacker-code', state: 'attacker-state' }).toString();
          forged = redirect.href;
          visit = context.newPage().then(async (page) => {
            await page.goto(forged);
            return page;
          });
          return Promise.resolve(true);
        },
      };
      await assert.rejects(test.session.signIn(bed.settings, how, AbortSignal.timeout(30_000)), (error: unknown) => {
        assert.ok(error instanceof AfpError);
        assert.equal(error.code, 'unauthorized');
        assert.match(error.message, /does not belong to this sign-in \(state mismatch\)\. Nothing was stored/);
        return true;
      });
      const page = await visit!;
      assert.equal(await page.textContent('#title'), 'Sign-in did not complete');
      assert.match((await page.textContent('#message')) ?? '', /state mismatch/);
      await expectNothingKept(test);
    } finally {
      await context.close();
      await test.close();
    }
  });

  it('stops at once when the app cancels, and closes the loopback listener', { timeout: 30_000 }, async () => {
    const test = await newSession();
    try {
      const controller = new AbortController();
      let redirectUri = '';
      const how: SignInHow = {
        method: 'browser',
        open: (url) => {
          redirectUri = new URL(url).searchParams.get('redirect_uri') ?? '';
          setTimeout(() => controller.abort(), 100);
          return Promise.resolve(true);
        },
      };
      await assert.rejects(
        test.session.signIn(bed.settings, how, controller.signal),
        (error: unknown) => error instanceof AfpError && error.code === 'cancelled',
      );
      await assert.rejects(fetch(redirectUri), 'the listener is gone');
      await expectNothingKept(test);
    } finally {
      await test.close();
    }
  });

  it('gives up after the time limit when the browser never comes back', { timeout: 30_000 }, async () => {
    const test = await newSession();
    try {
      const how: SignInHow = { method: 'browser', open: () => Promise.resolve(false), timeoutMs: 1500 };
      await assert.rejects(
        test.session.signIn(bed.settings, how, AbortSignal.timeout(20_000)),
        (error: unknown) => error instanceof AfpError && error.code === 'timeout' && /No answer from the browser/.test(error.message),
      );
      await expectNothingKept(test);
    } finally {
      await test.close();
    }
  });

  it('says at once, in the app, that the IdP does not know the client id', { timeout: 30_000 }, async () => {
    const test = await newSession();
    try {
      let opened = false;
      const how: SignInHow = { method: 'browser', open: () => Promise.resolve((opened = true)) };
      await assert.rejects(
        test.session.signIn({ ...bed.settings, clientId: 'no-such-client' }, how, AbortSignal.timeout(20_000)),
        (error: unknown) => {
          assert.ok(error instanceof AfpError);
          assert.equal(error.code, 'invalid_input');
          assert.match(
            error.message,
            /refused the sign-in request \(HTTP 400\); most often the client id "no-such-client" is not registered there/,
          );
          return true;
        },
      );
      assert.equal(opened, false, 'no browser tab opened on an error page');
      await expectNothingKept(test);
    } finally {
      await test.close();
    }
  });
});
