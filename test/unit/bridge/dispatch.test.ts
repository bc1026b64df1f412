import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDispatch } from '../../../main/bridge/dispatch';
import { createApp } from '../../../main/app';
import { AfpError } from '../../../main/errors';
import { createLogger } from '../../../main/log';
import { testHost } from '../../support/host';

describe('dispatch: the one boundary every bridge goes through', () => {
  const lines: string[] = [];
  const log = createLogger((line) => lines.push(line));
  const app = createApp({ host: testHost(), log });

  it('answers a well-formed request with its value', async () => {
    const result = await app.dispatch('settings.get', {}, { via: 'test' });
    assert.deepEqual(result, { ok: true, value: { language: 'en', theme: 'system' } });
  });

  it('turns a wrongly shaped input into a typed invalid_input error naming the field', async () => {
    const result = await app.dispatch('settings.update', { language: 'klingon' }, { via: 'test' });
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'invalid_input');
    assert.equal(result.error.field, 'language');
    assert.match(result.error.message, /settings\.update/);
  });

  it('refuses unknown fields rather than ignoring them', async () => {
    const result = await app.dispatch('settings.update', { colour: 'red' }, { via: 'test' });
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'invalid_input');
  });

  it('answers an unknown request name with not_found', async () => {
    const result = await app.dispatch('kubernetes.deleteEverything', {}, { via: 'test' });
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'not_found');
  });

  it('keeps an AfpError as it is and hides an unexpected exception behind internal, logging it', async () => {
    const handlers = {
      ...app.handlers,
      'settings.get': () => Promise.reject(new AfpError('unavailable', 'store is locked')),
      'app.info': () => Promise.reject(new TypeError('boom at line 3')),
    };
    const dispatch = createDispatch(handlers, log);
    const known = await dispatch('settings.get', {}, { via: 'test' });
    assert.deepEqual(known, { ok: false, error: { code: 'unavailable', message: 'store is locked' } });
    const unknown = await dispatch('app.info', {}, { via: 'test' });
    assert.ok(!unknown.ok);
    assert.equal(unknown.error.code, 'internal');
    assert.ok(!JSON.stringify(unknown).includes('    at '), 'no stack trace crosses the bridge');
    assert.ok(lines.some((l) => l.includes('request app.info failed')));
  });

  it('refuses to open links other than https and loopback http', async () => {
    const result = await app.dispatch('links.open', { url: 'file:///etc/passwd' }, { via: 'test' });
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'forbidden');
  });
});
