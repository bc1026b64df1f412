import type { KeyValueStore } from '../store/key-value-store';

/** What differs between the Electron shell and the browser preview / CLI. */
export interface Host {
  shell: 'electron' | 'browser-preview';
  /** Opens an already allow-listed URL in the system browser; false when no browser can be opened. */
  openExternal(url: string): Promise<boolean>;
  /** The settings/inventory store: electron-store in the app, conf elsewhere. */
  openStore(name: string): KeyValueStore;
  /** A native folder picker, where the shell has one. */
  chooseFolder?(suggested: string | undefined): Promise<string | undefined>;
  /** A native file picker (kubeconfigs), where the shell has one. */
  chooseFile?(suggested: string | undefined): Promise<string | undefined>;
  /** Desktop notification, where the shell has one. */
  notify?(title: string, body: string): void;
}
