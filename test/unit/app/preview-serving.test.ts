/**
 * The preview serves before its app has loaded (main/preview.ts): the page can
 * be fetched while the app's modules still load, and a request that comes
 * before they are loaded waits for them rather than failing.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { HTTP_REQUEST_PREFIX } from '../../../main/contract/http-paths';
import { servePreview } from '../../../main/preview';

it('answers the page before the app has loaded, and a request sent meanwhile waits for the app and is answered', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-serving-'));
  const rendererDir = path.join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>AF Provisioner</title>');
  const preview = await servePreview({
    configDir: path.join(dir, 'config'),
    rendererDir,
    profileSources: { env: {}, systemPath: path.join(dir, 'no-profile.yaml') },
  });
  t.after(() => preview.close());
  let loaded = false;
  void preview.app.then(() => (loaded = true));

  const page = await fetch(`${preview.bridge.origin}/`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /AF Provisioner/);
  assert.equal(loaded, false, 'the page came before the app finished loading');

  const answer = await fetch(`${preview.bridge.origin}${HTTP_REQUEST_PREFIX}settings.get`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${preview.bridge.token}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  const body = (await answer.json()) as { ok: boolean; value?: { language?: string } };
  assert.equal(body.ok, true, JSON.stringify(body));
  assert.ok(body.value?.language !== undefined);
  assert.equal(loaded, true);
});
