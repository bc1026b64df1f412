/**
 * Exposes the contract's client as `window.afp`, and nothing else. Sandboxed
 * preload: bundled to one CommonJS file; only the contract's request names
 * pass through.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { channelFor, EVENT_CHANNEL, isRequestName, type AppEvent, type Result } from '../main/api';

const afp = {
  request(name: string, input: unknown): Promise<Result<unknown>> {
    if (!isRequestName(name)) {
      return Promise.resolve({ ok: false, error: { code: 'not_found', message: `Unknown request "${name}".` } });
    }
    return ipcRenderer.invoke(channelFor(name), input) as Promise<Result<unknown>>;
  },
  onEvent(listener: (event: AppEvent) => void): () => void {
    const wrapped = (_event: IpcRendererEvent, payload: AppEvent): void => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
    };
  },
};

export type PreloadApi = typeof afp;

contextBridge.exposeInMainWorld('afp', afp);
