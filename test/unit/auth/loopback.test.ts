import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listenForCallback } from '../../../main/auth/sign-in/loopback';

describe('loopback redirect listener', () => {
  it('listens on 127.0.0.1 on a port the system picks, and hands over the first /callback', async () => {
    const listener = await listenForCallback();
    const other = await listenForCallback();
    try {
      assert.match(listener.redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      assert.notEqual(listener.redirectUri, other.redirectUri);
      const stray = await fetch(new URL('/favicon.ico', listener.redirectUri));
      assert.equal(stray.status, 404);
      const answer = fetch(`${listener.redirectUri}?code=abc&state=xyz`);
      const request = await listener.next(AbortSignal.timeout(5000));
      assert.equal(request.url.searchParams.get('code'), 'abc');
      request.reply({ ok: true });
      const page = await answer;
      const html = await page.text();
      assert.equal(page.status, 200);
      assert.match(html, /You are signed in/);
      assert.match(html, /close this tab/);
      assert.doesNotMatch(html, /<script|<link|src=|https?:\/\//, 'no scripts and nothing fetched from elsewhere');
      assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
      assert.equal(page.headers.get('cache-control'), 'no-store');
    } finally {
      await listener.close();
      await other.close();
    }
  });

  it('shows a failure in plain words, escaped', async () => {
    const listener = await listenForCallback();
    const answer = fetch(`${listener.redirectUri}?error=x`);
    (await listener.next(AbortSignal.timeout(5000))).reply({ ok: false, reason: 'The <provider> said no.' });
    const page = await answer;
    assert.equal(page.status, 400);
    assert.match(await page.text(), /Sign-in did not complete.*The &#60;provider&#62; said no\./s);
    await listener.close();
  });

  it('stops waiting when the sign-in is cancelled', async () => {
    const listener = await listenForCallback();
    const controller = new AbortController();
    const waiting = listener.next(controller.signal);
    controller.abort();
    await assert.rejects(waiting, /cancelled/);
    await listener.close();
  });
});
