/**
 * A stand-in for the parts of Electron the shell (main/index.ts), the preload
 * and electron-store touch. It records the options and handlers the shell
 * installs, so tests can call them as Electron would.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };
export type PermissionRequestHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: object,
) => void;
export type HeadersHandler = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]>; cancel?: boolean }) => void,
) => void;
export type IpcHandler = (event: { senderFrame?: { url: string } }, input: unknown) => Promise<unknown>;

export class FakeWebContents extends EventEmitter {
  url = '';
  windowOpenHandler: WindowOpenHandler | undefined;
  readonly sent: { channel: string; payload: unknown }[] = [];
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }
  getURL(): string {
    return this.url;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  isDestroyed(): boolean {
    return false;
  }
}

export const record = {
  userData: mkdtempSync(path.join(os.tmpdir(), 'afp-fake-electron-')),
  windows: [] as BrowserWindow[],
  sandboxEnabled: false,
  ipcHandlers: new Map<string, IpcHandler>(),
  opened: [] as string[],
  permissionRequest: undefined as PermissionRequestHandler | undefined,
  permissionCheck: undefined as ((...args: unknown[]) => boolean) | undefined,
  headersReceived: undefined as HeadersHandler | undefined,
  protocolCalls: [] as string[],
  exposed: new Map<string, unknown>(),
  rendererInvokes: [] as string[],
};

class App extends EventEmitter {
  /** Tests set this before loading the shell (a packaged build by default, as users run it). */
  isPackaged = true;
  requestSingleInstanceLock(): boolean {
    return true;
  }
  quit(): void {}
  enableSandbox(): void {
    record.sandboxEnabled = true;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  getPath(_name: string): string {
    return record.userData;
  }
  getVersion(): string {
    return '0.0.0-test';
  }
  getName(): string {
    return 'afp-test';
  }
}
export const app = new App();

export class BrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  constructor(readonly options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>) {
    super();
    record.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  static getAllWindows(): BrowserWindow[] {
    return record.windows;
  }
  loadURL(url: string): Promise<void> {
    this.webContents.url = url;
    return Promise.resolve();
  }
  show(): void {}
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {}
}

export const ipcMain = Object.assign(new EventEmitter(), {
  handle(channel: string, handler: IpcHandler): void {
    record.ipcHandlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    record.ipcHandlers.delete(channel);
  },
});

export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler: PermissionRequestHandler): void {
      record.permissionRequest = handler;
    },
    setPermissionCheckHandler(handler: (...args: unknown[]) => boolean): void {
      record.permissionCheck = handler;
    },
    webRequest: {
      onHeadersReceived(handler: HeadersHandler): void {
        record.headersReceived = handler;
      },
    },
  },
};

export const shell = {
  openExternal(url: string): Promise<void> {
    record.opened.push(url);
    return Promise.resolve();
  },
  openPath(_path: string): Promise<string> {
    return Promise.resolve('');
  },
};

// A real cipher, so the vault file holds no plain text, as with the OS keyring.
const key = randomBytes(32);
export const safeStorage = {
  isEncryptionAvailable: (): boolean => true,
  getSelectedStorageBackend: (): string => 'gnome_libsecret',
  encryptString(plain: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  },
  decryptString(data: Buffer): string {
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
    decipher.setAuthTag(data.subarray(12, 28));
    return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
  },
};

export const dialog = {
  /** What the next open dialog answers (tests set it); cancelled by default. The options it was opened with are recorded. */
  answer: { canceled: true, filePaths: [] } as { canceled: boolean; filePaths: string[] },
  opened: [] as { properties?: string[] }[],
  showOpenDialog(options: { properties?: string[] }): Promise<{ canceled: boolean; filePaths: string[] }> {
    this.opened.push(options);
    return Promise.resolve(this.answer);
  },
};

export class Notification {
  static isSupported(): boolean {
    return false;
  }
  show(): void {}
}

// Any custom protocol the shell registered would widen what the renderer can load.
export const protocol = new Proxy(
  {},
  {
    get: (_target, name) => (): void => {
      record.protocolCalls.push(String(name));
    },
  },
);

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    record.exposed.set(key, api);
  },
};

export const ipcRenderer = Object.assign(new EventEmitter(), {
  invoke(channel: string, _input: unknown): Promise<unknown> {
    record.rendererInvokes.push(channel);
    return Promise.resolve({ ok: true, value: {} });
  },
});

export default { app, BrowserWindow, ipcMain, session, shell, safeStorage, dialog, Notification, protocol, contextBridge, ipcRenderer };
