/**
 * The contract over Electron IPC. Electron's objects are passed in (types only
 * are imported), so this binding is tested in plain Node against the contract.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { channelFor, EVENT_CHANNEL, requestNames, type Result } from '../api';
import type { EventBus } from '../events';
import type { Dispatch } from './dispatch';

export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>;

export interface IpcBinding {
  channels: string[];
  dispose(): void;
}

/**
 * Registers one handler per contract request. `isTrustedSender` decides from the
 * sending frame's URL whether the request comes from our own renderer.
 */
export function bindIpc(ipcMain: IpcMainLike, dispatch: Dispatch, isTrustedSender: (frameUrl: string) => boolean): IpcBinding {
  const channels = requestNames.map((name) => {
    const channel = channelFor(name);
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, input: unknown): Promise<Result<unknown>> => {
      const frameUrl = event.senderFrame?.url ?? '';
      if (!isTrustedSender(frameUrl)) {
        return { ok: false, error: { code: 'forbidden', message: 'Request from an untrusted frame refused.' } };
      }
      return dispatch(name, input, { via: 'ipc' });
    });
    return channel;
  });
  return {
    channels,
    dispose: () => channels.forEach((channel) => ipcMain.removeHandler(channel)),
  };
}

/** Forwards contract events to one window until it is destroyed. */
export function forwardEvents(events: EventBus, webContents: Pick<WebContents, 'send' | 'isDestroyed'>): () => void {
  return events.subscribe((event) => {
    if (!webContents.isDestroyed()) webContents.send(EVENT_CHANNEL, event);
  });
}
