/**
 * A token holder (someone who got the preview's token) must not make the app
 * run a program of theirs: a kubeconfig's exec plugin runs as the user. Over
 * the bridge, a kubeconfig path is taken only when it is the default
 * (KUBECONFIG, ~/.kube/config: not named), one the user chose in the app
 * (Load on Review: a file that belongs to the user or root and that nobody
 * else can write, with its exec programs shown and confirmed), or one an
 * environment already runs with.
 */
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HTTP_REQUEST_PREFIX } from '../../../main/api';
import type { ApiErrorShape } from '../../../main/errors';
import { createLogger } from '../../../main/log';
import { startPreview, type Preview } from '../../../main/preview';

type Answer = { ok: true; value: unknown } | { ok: false; error: ApiErrorShape };

function kubeconfigRunning(marker: string): string {
  return `apiVersion: v1
kind: Config
current-context: evil
clusters:
- name: evil
  cluster: { server: "https://127.0.0.1:1" }
users:
- name: evil
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: /bin/sh
      args: ["-c", "touch ${marker}; echo '{\\"apiVersion\\":\\"client.authentication.k8s.io/v1\\",\\"kind\\":\\"ExecCredential\\",\\"status\\":{\\"token\\":\\"x\\"}}'"]
      interactiveMode: Never
contexts:
- name: evil
  context: { cluster: evil, user: evil }
`;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('kubeconfig paths over the HTTP bridge', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-gate-'));
  let preview: Preview;

  async function call(name: string, input: unknown): Promise<Answer> {
    const response = await fetch(`${preview.bridge.origin}${HTTP_REQUEST_PREFIX}${name}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${preview.bridge.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(input),
    });
    return (await response.json()) as Answer;
  }
  const plan = { template: 'minio', values: {}, name: 'gate' };

  before(async () => {
    preview = await startPreview({
      configDir: path.join(dir, 'config'),
      rendererDir: path.join(dir, 'no-renderer'),
      openExternal: () => Promise.resolve(false),
      log: createLogger(() => undefined),
    });
  });
  after(() => preview.close());

  it('a token holder naming /tmp/evil-kubeconfig is refused before any program runs', async () => {
    const marker = path.join(dir, 'evil-ran');
    const evil = path.join(dir, 'evil-kubeconfig');
    writeFileSync(evil, kubeconfigRunning(marker), { mode: 0o600 });
    const deploy = await call('environments.deploy', { plan, target: { kind: 'kube', kubeconfig: evil } });
    const fit = await call('capacity.fit', { plan, source: { kind: 'cluster', kubeconfig: evil } });
    const contexts = await call('kube.contexts', { kubeconfig: evil });
    for (const answer of [deploy, fit, contexts]) {
      assert.equal(answer.ok, false, JSON.stringify(answer));
      if (!answer.ok) {
        assert.equal(answer.error.code, 'forbidden');
        assert.match(answer.error.message, /not chosen in the app/);
      }
    }
    await sleep(1500);
    assert.equal(existsSync(marker), false, 'the exec plugin never ran');
  });

  it('a file someone else owns or may write cannot be chosen', async () => {
    const others = path.join(dir, 'others-kubeconfig');
    writeFileSync(others, kubeconfigRunning(path.join(dir, 'x')), { mode: 0o600 });
    chmodSync(others, 0o666);
    const writable = await call('kube.chooseKubeconfig', { kubeconfig: others, confirmExec: true });
    assert.equal(writable.ok, false);
    if (!writable.ok) assert.match(writable.error.message, /other users can change it/);
    if (process.getuid?.() === 0) {
      chmodSync(others, 0o600);
      chownSync(others, 65534, 65534);
      const foreign = await call('kube.chooseKubeconfig', { kubeconfig: others, confirmExec: true });
      assert.equal(foreign.ok, false);
      if (!foreign.ok) assert.match(foreign.error.message, /belongs to another user/);
    }
    assert.equal((await call('kube.contexts', { kubeconfig: others })).ok, false);
  });

  it('a file the user loads and whose programs they confirm is used, and remembered', async () => {
    const marker = path.join(dir, 'mine-ran');
    const mine = path.join(dir, 'my-kubeconfig');
    writeFileSync(mine, kubeconfigRunning(marker), { mode: 0o600 });
    const first = await call('kube.chooseKubeconfig', { kubeconfig: mine });
    assert.deepEqual(
      first,
      { ok: true, value: { pending: mine, execCommands: ['/bin/sh'] } },
      'the programs are shown first; nothing chosen yet',
    );
    assert.equal((await call('kube.contexts', { kubeconfig: mine })).ok, false);
    const confirmed = await call('kube.chooseKubeconfig', { kubeconfig: mine, confirmExec: true });
    assert.deepEqual(confirmed, { ok: true, value: { kubeconfig: mine, execCommands: ['/bin/sh'] } });
    const contexts = await call('kube.contexts', { kubeconfig: mine });
    assert.ok(contexts.ok, JSON.stringify(contexts));
    const deploy = await call('environments.deploy', { plan, target: { kind: 'kube', kubeconfig: mine } });
    assert.ok(deploy.ok, JSON.stringify(deploy));
  });

  it('the chosen file is what requests naming none use, and is refused once someone else can write it', async () => {
    const marker = path.join(dir, 'later-ran');
    const later = path.join(dir, 'later-kubeconfig');
    writeFileSync(later, kubeconfigRunning(marker), { mode: 0o600 });
    const confirmed = await call('kube.chooseKubeconfig', { kubeconfig: later, confirmExec: true });
    assert.ok(confirmed.ok, JSON.stringify(confirmed));
    const used = (await call('kube.contexts', {})) as { ok: true; value: { state: string; origin: string; chosen?: string } };
    assert.deepEqual([used.value.state, used.value.origin, used.value.chosen], ['ready', 'chosen', later]);
    chmodSync(later, 0o666);
    const refused = (await call('kube.contexts', {})) as { ok: true; value: { state: string; problem?: ApiErrorShape } };
    assert.equal(refused.value.state, 'broken');
    assert.match(refused.value.problem?.message ?? '', /other users can change it/);
    const deploy = await call('environments.deploy', { plan: { ...plan, name: 'gate-later' }, target: { kind: 'kube' } });
    assert.equal(deploy.ok, false, JSON.stringify(deploy));
    const fit = (await call('capacity.fit', { plan, source: { kind: 'cluster' } })) as { ok: boolean; value?: { ok: boolean } };
    assert.ok(!fit.ok || fit.value?.ok === false, JSON.stringify(fit));
    await sleep(200);
    assert.equal(existsSync(marker), false, 'its program never ran');
    const back = await call('kube.chooseKubeconfig', { useDefault: true });
    assert.ok(back.ok);
    assert.notEqual(((await call('kube.contexts', {})) as { ok: true; value: { origin: string } }).value.origin, 'chosen');
  });
});

describe('a site profile chosen over the bridge', { skip: process.getuid?.() !== 0, timeout: 60_000 }, () => {
  it('must belong to the user and be writable by nobody else: a planted profile would send the token elsewhere', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-gate-profile-'));
    const preview = await startPreview({
      configDir: path.join(dir, 'config'),
      rendererDir: path.join(dir, 'no-renderer'),
      openExternal: () => Promise.resolve(false),
      log: createLogger(() => undefined),
    });
    try {
      const planted = path.join(dir, 'evil-profile.yaml');
      writeFileSync(
        planted,
        'apiVersion: afp.dev/v1\nkind: SiteProfile\nsite: { name: Evil, logo: "data:image/png;base64,iVBORw0KGgo=" }\ntargets:\n  im: { url: "https://im.evil.example" }\n',
      );
      chownSync(planted, 65534, 65534);
      const response = await fetch(`${preview.bridge.origin}${HTTP_REQUEST_PREFIX}profile.choose`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${preview.bridge.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ file: planted }),
      });
      const answer = (await response.json()) as Answer;
      assert.equal(answer.ok, false, JSON.stringify(answer));
      if (!answer.ok) assert.match(answer.error.message, /belongs to another user/);
    } finally {
      await preview.close();
    }
  });
});
