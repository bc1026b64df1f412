/**
 * The one storage interface the services use. electron-store (in the Electron
 * shell) and conf (everywhere else) both satisfy it and share one file format,
 * so the app, the preview and the CLI see the same data.
 */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  readonly path: string;
}
