/** Starts the real Electron shell (main/index.ts) and preload against the fake Electron of this folder. */
import { register } from 'node:module';
import { record } from './electron';

export type ShellRecord = typeof record;

let loaded: Promise<ShellRecord> | undefined;

export function loadShell(): Promise<ShellRecord> {
  loaded ??= (async () => {
    register('./hooks.ts', import.meta.url, { data: { fakeUrl: new URL('./electron.ts', import.meta.url).href } });
    await import('../../../../main/index');
    await import('../../../../preload/index');
    // The shell builds its window once the app is ready and the login shell's PATH is read.
    const deadline = Date.now() + 10_000;
    while (record.windows.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (record.windows.length === 0) throw new Error('the shell opened no window within 10 s');
    return record;
  })();
  return loaded;
}
