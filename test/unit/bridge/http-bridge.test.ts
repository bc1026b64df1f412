import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HTTP_EVENTS_PATH, HTTP_REQUEST_PREFIX } from '../../../main/api';
import { createApp } from '../../../main/app';
import { MAX_BODY_BYTES, startHttpBridge, type HttpBridge } from '../../../main/bridge/http';
import { createLogger } from '../../../main/log';
import { testHost } from '../../support/host';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request, so Host and Origin can be set as an attacker would. */
function send(
  bridge: HttpBridge,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Reply> {
  const url = new URL(bridge.origin);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: url.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { Host: url.host, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('HTTP bridge (browser preview)', () => {
  const app = createApp({ host: testHost(), log: createLogger(() => undefined) });
  let bridge: HttpBridge;
  let auth: Record<string, string>;

  before(async () => {
    const staticDir = mkdtempSync(path.join(os.tmpdir(), 'afp-static-'));
    writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    bridge = await startHttpBridge({ dispatch: app.dispatch, events: app.events, staticDir });
    auth = { Authorization: `Bearer ${bridge.token}`, 'Content-Type': 'application/json' };
  });
  after(() => bridge.close());

  it('binds loopback on a random port and hands the token in the URL fragment only', () => {
    assert.match(bridge.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(bridge.url, `${bridge.origin}/#token=${bridge.token}`);
    assert.ok(bridge.token.length >= 32);
  });

  it('answers a request that carries the token', async () => {
    const reply = await send(bridge, { method: 'POST', path: `${HTTP_REQUEST_PREFIX}settings.get`, headers: auth, body: '{}' });
    assert.equal(reply.status, 200);
    assert.deepEqual(JSON.parse(reply.body), { ok: true, value: { language: 'en', theme: 'system' } });
  });

  it('refuses a request without the token, or with a wrong one, with 401', async () => {
    const none = await send(bridge, {
      method: 'POST',
      path: `${HTTP_REQUEST_PREFIX}settings.get`,
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(none.status, 401);
    const wrong = await send(bridge, {
      method: 'POST',
      path: `${HTTP_REQUEST_PREFIX}settings.get`,
      headers: { ...auth, Authorization: 'Bearer nope' },
      body: '{}',
    });
    assert.equal(wrong.status, 401);
    const events = await send(bridge, { path: HTTP_EVENTS_PATH });
    assert.equal(events.status, 401);
  });

  it('refuses a foreign Origin with 403 even with the token', async () => {
    const reply = await send(bridge, {
      method: 'POST',
      path: `${HTTP_REQUEST_PREFIX}settings.get`,
      headers: { ...auth, Origin: 'https://evil.example' },
      body: '{}',
    });
    assert.equal(reply.status, 403);
  });

  it('refuses a DNS-rebinding Host header with 403', async () => {
    const reply = await send(bridge, {
      method: 'POST',
      path: `${HTTP_REQUEST_PREFIX}settings.get`,
      headers: { ...auth, Host: 'rebind.evil.example' },
      body: '{}',
    });
    assert.equal(reply.status, 403);
    const page = await send(bridge, { path: '/', headers: { Host: 'rebind.evil.example' } });
    assert.equal(page.status, 403);
  });

  it('refuses an oversized body with 413 and keeps serving', async () => {
    const reply = await send(bridge, {
      method: 'POST',
      path: `${HTTP_REQUEST_PREFIX}settings.update`,
      headers: auth,
      body: Buffer.alloc(MAX_BODY_BYTES + 10, 'a'),
    });
    assert.equal(reply.status, 413);
    const next = await send(bridge, { method: 'POST', path: `${HTTP_REQUEST_PREFIX}settings.get`, headers: auth, body: '{}' });
    assert.equal(next.status, 200);
  });

  it('answers a wrong shape with a typed error, and bad JSON with 400', async () => {
    const shape = await send(bridge, {
      method: 'POST',
      path: `${HTTP_REQUEST_PREFIX}settings.update`,
      headers: auth,
      body: '{"theme": 42}',
    });
    assert.equal(shape.status, 200);
    const parsed = JSON.parse(shape.body) as { ok: boolean; error: { code: string; field: string } };
    assert.equal(parsed.ok, false);
    assert.equal(parsed.error.code, 'invalid_input');
    assert.equal(parsed.error.field, 'theme');
    const json = await send(bridge, { method: 'POST', path: `${HTTP_REQUEST_PREFIX}settings.update`, headers: auth, body: '{nope' });
    assert.equal(json.status, 400);
  });

  it('sends the CSP and hardening headers on every response', async () => {
    const replies = await Promise.all([
      send(bridge, { path: '/' }),
      send(bridge, { path: '/assets/missing.js' }),
      send(bridge, { method: 'POST', path: `${HTTP_REQUEST_PREFIX}settings.get`, headers: auth, body: '{}' }),
      send(bridge, { path: HTTP_EVENTS_PATH }),
      send(bridge, { path: '/', headers: { Host: 'evil.example' } }),
    ]);
    for (const reply of replies) {
      assert.match(String(reply.headers['content-security-policy']), /default-src 'self'/);
      assert.equal(reply.headers['x-content-type-options'], 'nosniff');
    }
  });

  it('does not serve files outside the renderer folder', async () => {
    const reply = await send(bridge, { path: '/../../../../etc/passwd' });
    assert.ok(!reply.body.includes('root:'));
  });

  it('streams contract events to a client holding the token', async () => {
    const url = new URL(bridge.origin);
    const received = await new Promise<string>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: url.port, path: HTTP_EVENTS_PATH, headers: { Host: url.host, Authorization: `Bearer ${bridge.token}` } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => {
            text += c.toString('utf8');
            if (text.includes('settings.changed')) {
              req.destroy();
              resolve(text);
            }
          });
          setTimeout(() => void app.handlers['settings.update']({ theme: 'dark' }, { via: 'test' }).catch(reject), 50);
        },
      );
      req.on('error', () => undefined);
      req.end();
    });
    assert.match(received, /data: \{"type":"settings.changed","settings":\{"language":"en","theme":"dark"\}\}/);
  });
});
