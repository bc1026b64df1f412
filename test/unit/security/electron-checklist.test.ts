/**
 * Electron's security checklist (electronjs.org/docs/latest/tutorial/security),
 * item by item, against the real shell: main/index.ts and preload/index.ts run
 * on a stand-in Electron that records what they configure, and the handlers
 * they install are called as Electron would call them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { channelFor, EVENT_CHANNEL, requestNames } from '../../../main/api';
import type { BrowserWindow } from './electron-fake/electron';
import { app, dialog } from './electron-fake/electron';
import { loadShell, type ShellRecord } from './electron-fake/load-shell';

const TRUSTED_FRAME = new URL('../../../renderer/index.html', import.meta.url).href;

function cspDirectives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0] !== '')
      .map(([name, ...sources]) => [name ?? '', sources]),
  );
}

function assertStrictCsp(policy: string, where: string): void {
  const directives = cspDirectives(policy);
  assert.deepEqual(directives.get('default-src'), ["'self'"], `${where}: default-src 'self'`);
  assert.deepEqual(directives.get('script-src'), ["'self'"], `${where}: scripts only from the app`);
  assert.deepEqual(directives.get('object-src'), ["'none'"], `${where}: no plugins`);
  for (const [name, sources] of directives) {
    for (const bad of ["'unsafe-inline'", "'unsafe-eval'", '*', 'http:', 'https:', 'data:', 'blob:']) {
      if (bad === 'data:' && name === 'img-src') continue;
      assert.ok(!sources.includes(bad), `${where}: ${name} allows ${bad}`);
    }
  }
}

describe('Electron security checklist, against the real shell', () => {
  let shell: ShellRecord;
  let window: BrowserWindow;
  let prefs: Record<string, unknown>;

  before(async () => {
    // A packaged build must ignore a renderer address from the environment (only a development run honours it).
    process.env.ELECTRON_RENDERER_URL = 'https://evil.example/';
    shell = await loadShell();
    window = shell.windows[0] as BrowserWindow;
    prefs = window.options.webPreferences ?? {};
  });
  after(() => {
    app.emit('will-quit');
  });

  it('2. loads no remote content: the window loads the packaged renderer file, whatever ELECTRON_RENDERER_URL says', () => {
    assert.equal(window.webContents.getURL(), TRUSTED_FRAME);
  });

  it('3. Node.js integration off in the renderer and its workers', () => {
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.nodeIntegrationInWorker, false);
    assert.notEqual(prefs.nodeIntegrationInSubFrames, true);
  });

  it('3/4. context isolation on, preload a file of the app', () => {
    assert.equal(prefs.contextIsolation, true);
    assert.match(String(prefs.preload), /preload[/\\]index\.cjs$/);
  });

  it('5. every renderer sandboxed (the window and app-wide)', () => {
    assert.equal(prefs.sandbox, true);
    assert.equal(shell.sandboxEnabled, true, 'app.enableSandbox() before ready');
  });

  it('6. permission requests and checks denied, whatever is asked', () => {
    assert.ok(shell.permissionRequest !== undefined && shell.permissionCheck !== undefined);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'hid', 'serial', 'fullscreen']) {
      let granted: boolean | undefined;
      shell.permissionRequest(window.webContents, permission, (answer) => (granted = answer), {});
      assert.equal(granted, false, permission);
      assert.equal(shell.permissionCheck(window.webContents, permission, TRUSTED_FRAME, {}), false, permission);
    }
  });

  it('7/8/9. webSecurity on, no insecure content, no experimental or Blink features', () => {
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.allowRunningInsecureContent, false);
    assert.equal(prefs.experimentalFeatures, false);
    assert.equal(prefs.enableBlinkFeatures, undefined);
  });

  it('7. a strict Content-Security-Policy on every response, and in the page itself', () => {
    assert.ok(shell.headersReceived !== undefined, 'a headers hook sets the CSP');
    let headers: Record<string, string[]> | undefined;
    shell.headersReceived(
      { url: TRUSTED_FRAME, responseHeaders: { 'Content-Security-Policy': ["default-src *; script-src 'unsafe-inline'"] } },
      (answer) => {
        headers = answer.responseHeaders;
      },
    );
    const policies = headers?.['Content-Security-Policy'] ?? [];
    assert.equal(policies.length, 1, 'the app policy replaces whatever a response brought');
    assertStrictCsp(policies[0] ?? '', 'response header');
    const html = readFileSync(new URL('../../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    assert.ok(meta !== undefined, 'renderer/index.html carries a CSP meta tag');
    assertStrictCsp(meta, 'renderer/index.html');
  });

  it('10. <webview> disabled, and any attach refused', () => {
    assert.equal(prefs.webviewTag, false);
    let prevented = false;
    window.webContents.emit('will-attach-webview', { preventDefault: () => (prevented = true) }, {}, {});
    assert.ok(prevented);
  });

  it('13. navigation and redirects away from the renderer refused, in every web contents', () => {
    const attempts = ['https://evil.example/', 'file:///etc/passwd', 'http://127.0.0.1:1/', `${TRUSTED_FRAME}/../other.html`];
    for (const url of attempts) {
      let prevented = false;
      window.webContents.emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
      assert.ok(prevented, url);
    }
    for (const url of attempts) {
      let prevented = false;
      window.webContents.emit('will-redirect', { preventDefault: () => (prevented = true) }, url);
      assert.ok(prevented, `redirect to ${url}`);
    }
    assert.equal(prefs.navigateOnDragDrop, false, 'a dropped file does not replace the app');
    assert.match(String(prefs.disableBlinkFeatures), /(^|,)Auxclick(,|$)/, 'a middle click opens no window of its own');
  });

  it('14. new windows denied; only allow-listed links go to the system browser', () => {
    const handler = window.webContents.windowOpenHandler;
    assert.ok(handler !== undefined);
    shell.opened.length = 0;
    const refused = [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://share/x',
      'http://evil.example/',
      'ms-msdt:/id',
      'https://user:pw@example.org/',
    ];
    for (const url of [...refused, 'https://jupyter.example.org/hub']) assert.deepEqual(handler({ url }), { action: 'deny' }, url);
    assert.deepEqual(shell.opened, ['https://jupyter.example.org/hub']);
  });

  it('15. shell.openExternal through the contract only for allow-listed links', async () => {
    const open = shell.ipcHandlers.get(channelFor('links.open'));
    assert.ok(open !== undefined);
    shell.opened.length = 0;
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'http://10.0.0.1/', 'vscode://x']) {
      const answer = (await open({ senderFrame: { url: TRUSTED_FRAME } }, { url })) as { ok: boolean; error?: { code: string } };
      assert.equal(answer.ok, false, url);
      assert.equal(answer.error?.code, 'forbidden', url);
    }
    assert.deepEqual(shell.opened, []);
    const ok = (await open({ senderFrame: { url: TRUSTED_FRAME } }, { url: 'http://127.0.0.1:8888/lab' })) as { ok: boolean };
    assert.equal(ok.ok, true);
    assert.deepEqual(shell.opened, ['http://127.0.0.1:8888/lab']);
  });

  it('16. a current Electron: the major the project pins is still supported (≥ 45)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const major = Number(/(\d+)/.exec(pkg.devDependencies.electron ?? '')?.[1]);
    assert.ok(major >= 45, `electron ${pkg.devDependencies.electron}`);
  });

  it('17. every IPC handler checks the sender frame: foreign pages, iframes elsewhere and missing frames are refused', async () => {
    assert.deepEqual([...shell.ipcHandlers.keys()].sort(), requestNames.map(channelFor).sort());
    const info = shell.ipcHandlers.get(channelFor('app.info'));
    assert.ok(info !== undefined);
    for (const frame of [{ url: 'https://evil.example/' }, { url: 'file:///tmp/evil.html' }, { url: '' }, undefined]) {
      const answer = (await info(frame === undefined ? {} : { senderFrame: frame }, {})) as { ok: boolean; error?: { code: string } };
      assert.equal(answer.error?.code, 'forbidden', JSON.stringify(frame));
    }
    const trusted = (await info({ senderFrame: { url: TRUSTED_FRAME } }, {})) as { ok: boolean };
    assert.equal(trusted.ok, true);
  });

  it('17b. a kubeconfig named by the renderer must come from the native file dialog', async () => {
    const contexts = shell.ipcHandlers.get(channelFor('kube.contexts'));
    const choose = shell.ipcHandlers.get(channelFor('kube.chooseKubeconfig'));
    assert.ok(contexts !== undefined && choose !== undefined);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-checklist-'));
    const file = path.join(dir, 'config');
    writeFileSync(
      file,
      'apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters: [{name: k, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: k, user: u}}]\n',
      { mode: 0o600 },
    );
    const frame = { senderFrame: { url: TRUSTED_FRAME } };
    const before = (await contexts(frame, { kubeconfig: file })) as { ok: boolean; error?: { code: string } };
    assert.equal(before.error?.code, 'forbidden', 'a path the renderer typed is not enough');
    dialog.answer = { canceled: false, filePaths: [file] };
    const chosen = (await choose(frame, { kubeconfig: file })) as { ok: boolean; value?: { kubeconfig?: string } };
    assert.equal(chosen.value?.kubeconfig, file);
    assert.deepEqual(dialog.opened.at(-1)?.properties?.includes('openFile'), true, 'the native file dialog was shown');
    const after = (await contexts(frame, { kubeconfig: file })) as { ok: boolean };
    assert.equal(after.ok, true);

    // A file whose user runs a program: the program is shown, and confirming does not open the dialog again.
    const withExec = path.join(dir, 'exec-config');
    writeFileSync(
      withExec,
      'apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters: [{name: k, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: kubelogin}}}]\ncontexts: [{name: c, context: {cluster: k, user: u}}]\n',
      { mode: 0o600 },
    );
    dialog.answer = { canceled: false, filePaths: [withExec] };
    const shown = (await choose(frame, {})) as { value?: { kubeconfig?: string; pending?: string; execCommands: string[] } };
    assert.deepEqual(shown.value, { pending: withExec, execCommands: ['kubelogin'] });
    const dialogs = dialog.opened.length;
    dialog.answer = { canceled: true, filePaths: [] };
    const confirmed = (await choose(frame, { kubeconfig: withExec, confirmExec: true })) as { value?: { kubeconfig?: string } };
    assert.equal(confirmed.value?.kubeconfig, withExec);
    assert.equal(dialog.opened.length, dialogs, 'confirming opened no second dialog');
  });

  it('18. no custom protocol serves files to the renderer', () => {
    assert.deepEqual(shell.protocolCalls, []);
  });

  it('19. Electron fuses of the packaged app: no file:// extra privileges, cookies encrypted', () => {
    // electron-builder.test.ts covers RunAsNode, NODE_OPTIONS, inspect flags and asar; these are the rest.
    const config = parse(readFileSync('electron-builder.yml', 'utf8')) as { electronFuses?: Record<string, boolean> };
    assert.equal(config.electronFuses?.grantFileProtocolExtraPrivileges, false);
    assert.equal(config.electronFuses?.enableCookieEncryption, true);
  });

  it('20. the preload exposes the contract client as window.afp and nothing else: no raw ipcRenderer', async () => {
    assert.deepEqual([...shell.exposed.keys()], ['afp']);
    const api = shell.exposed.get('afp') as Record<string, unknown>;
    assert.deepEqual(Object.keys(api).sort(), ['onEvent', 'request']);
    const request = api.request as (name: string, input: unknown) => Promise<{ ok: boolean; error?: { code: string } }>;
    shell.rendererInvokes.length = 0;
    const refused = await request('afp:event', {});
    assert.equal(refused.error?.code, 'not_found', 'only contract request names pass');
    await request('__proto__', {});
    assert.deepEqual(shell.rendererInvokes, []);
    await request('app.info', {});
    assert.deepEqual(shell.rendererInvokes, [channelFor('app.info')]);
    assert.ok(!requestNames.map(channelFor).includes(EVENT_CHANNEL));
  });
});
