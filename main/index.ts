/**
 * The Electron shell: one instance, one locked-down window, the contract bound
 * to IPC. Everything else lives in Electron-free modules (app.ts).
 */
import { app, BrowserWindow, dialog, ipcMain, Notification, safeStorage, session, shell, type WebContents } from 'electron';
import ElectronStore from 'electron-store';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createApp } from './app';
import { SafeStorageVault } from './auth/safe-storage-vault';
import type { Host } from './app/host';
import { bindIpc, forwardEvents } from './bridge/ipc';
import { CONTENT_SECURITY_POLICY } from './bridge/security-headers';
import { isAllowedExternalUrl } from './shell/external-links';
import { applyHeapPolicy } from './shell/heap-policy';
import { gateKubeconfigs } from './shell/kubeconfig-choices';
import { adoptLoginShellPath } from './shell/login-shell-path';
import { rendererUrlFor } from './shell/renderer-url';
import { createTrustedSenderCheck } from './shell/trusted-sender';
import type { KeyValueStore } from './store/key-value-store';
import { keepPrivate, PRIVATE_FILE_MODE } from './store/private-files';

applyHeapPolicy();
const here = path.dirname(fileURLToPath(import.meta.url));
const rendererUrl = rendererUrlFor({
  isPackaged: app.isPackaged,
  env: process.env,
  packagedFile: pathToFileURL(path.join(here, '../renderer/index.html')).href,
});

function electronStore(name: string): KeyValueStore {
  const store = new ElectronStore<Record<string, unknown>>({ name, configFileMode: PRIVATE_FILE_MODE });
  keepPrivate(app.getPath('userData'), [store.path]);
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
    get path() {
      return store.path;
    },
  };
}

const host: Host = {
  shell: 'electron',
  openExternal: async (url) => {
    await shell.openExternal(url);
    return true;
  },
  openStore: electronStore,
  chooseFolder: async (suggested) => {
    const answer = await dialog.showOpenDialog({
      ...(suggested === undefined ? {} : { defaultPath: suggested }),
      properties: ['openDirectory', 'createDirectory'],
    });
    return answer.canceled ? undefined : answer.filePaths[0];
  },
  chooseFile: async (suggested) => {
    const answer = await dialog.showOpenDialog({
      ...(suggested === undefined ? {} : { defaultPath: suggested }),
      properties: ['openFile', 'showHiddenFiles'],
    });
    return answer.canceled ? undefined : answer.filePaths[0];
  },
  notify: (title, body) => {
    if (Notification.isSupported()) new Notification({ title, body }).show();
  },
};

function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (url !== contents.getURL()) event.preventDefault();
  });
  // A server redirect is a navigation too (a link the renderer may follow must not land the window elsewhere).
  contents.on('will-redirect', (event, url) => {
    if (url !== contents.getURL()) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'AF Provisioner',
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // A middle click must not open a link in a new Electron window; links go through setWindowOpenHandler.
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(rendererUrl);
  return window;
}

function main(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));

  void Promise.all([app.whenReady(), adoptLoginShellPath()]).then(() => {
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
    });

    // Tokens at rest only through the OS keyring; where Linux has none, the vault refuses to persist and says so.
    const vault = new SafeStorageVault(safeStorage, path.join(app.getPath('userData'), 'token-vault.bin'));
    const afp = createApp({ host, auth: { vault } });
    bindIpc(ipcMain, gateKubeconfigs(afp, host), createTrustedSenderCheck(rendererUrl));
    let window = createWindow();
    let stopEvents = forwardEvents(afp.events, window.webContents);

    app.on('second-instance', () => {
      if (window.isMinimized()) window.restore();
      window.focus();
    });
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) {
        stopEvents();
        window = createWindow();
        stopEvents = forwardEvents(afp.events, window.webContents);
      }
    });
    app.on('window-all-closed', () => {
      if (process.platform !== 'darwin') app.quit();
    });
    app.on('will-quit', () => {
      stopEvents();
      void afp.dispose();
    });
  });
}

main();
