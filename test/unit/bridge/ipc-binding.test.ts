import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IpcMainInvokeEvent } from 'electron';
import { channelFor, requestNames } from '../../../main/api';
import { createApp } from '../../../main/app';
import { bindIpc, type IpcMainLike } from '../../../main/bridge/ipc';
import { createLogger } from '../../../main/log';
import { createTrustedSenderCheck } from '../../../main/shell/trusted-sender';
import { testHost } from '../../support/host';

type Listener = (event: IpcMainInvokeEvent, input: unknown) => Promise<unknown>;

/** Electron's ipcMain is the one outside piece played here: it records what the binding registers. */
function recordingIpcMain(): IpcMainLike & { handlers: Map<string, Listener> } {
  const handlers = new Map<string, Listener>();
  return {
    handlers,
    handle: (channel: string, listener: Listener) => void handlers.set(channel, listener),
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
}

const rendererUrl = 'file:///opt/afp/resources/app.asar/out/renderer/index.html';
const frame = (url: string): IpcMainInvokeEvent => ({ senderFrame: { url } }) as unknown as IpcMainInvokeEvent;

describe('IPC binding', () => {
  const app = createApp({ host: testHost(), log: createLogger(() => undefined) });

  it('registers exactly one channel per contract request, and removes them all on dispose', () => {
    const ipc = recordingIpcMain();
    const binding = bindIpc(ipc, app.dispatch, createTrustedSenderCheck(rendererUrl));
    assert.deepEqual([...ipc.handlers.keys()].sort(), requestNames.map(channelFor).sort());
    binding.dispose();
    assert.equal(ipc.handlers.size, 0);
  });

  it('answers our renderer and refuses any other frame', async () => {
    const ipc = recordingIpcMain();
    bindIpc(ipc, app.dispatch, createTrustedSenderCheck(rendererUrl));
    const handler = ipc.handlers.get(channelFor('settings.get'));
    assert.ok(handler);
    assert.deepEqual(await handler(frame(rendererUrl), {}), { ok: true, value: { language: 'en', theme: 'system' } });
    const foreign = (await handler(frame('https://evil.example/'), {})) as { ok: boolean; error: { code: string } };
    assert.equal(foreign.ok, false);
    assert.equal(foreign.error.code, 'forbidden');
    const otherFile = (await handler(frame('file:///tmp/evil.html'), {})) as { ok: boolean };
    assert.equal(otherFile.ok, false);
  });

  it('validates inputs arriving over IPC like any other bridge', async () => {
    const ipc = recordingIpcMain();
    bindIpc(ipc, app.dispatch, createTrustedSenderCheck(rendererUrl));
    const handler = ipc.handlers.get(channelFor('settings.update'));
    assert.ok(handler);
    const reply = (await handler(frame(rendererUrl), { theme: 'neon' })) as { ok: boolean; error: { code: string; field: string } };
    assert.equal(reply.error.code, 'invalid_input');
    assert.equal(reply.error.field, 'theme');
  });
});
